// laravel-echo-server ships no type declarations: the one call the bench makes.
declare module 'laravel-echo-server' {
  const echoServer: { run(options: Record<string, unknown>): Promise<unknown> };
  export default echoServer;
}
