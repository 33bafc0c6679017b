import type { CliCommand } from '../command';

type Implementation = typeof import('./broker-passwd');
// Required when the command runs, not when the CLI starts: each command loads only what it uses.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (): Implementation => require('./broker-passwd') as Implementation;

/** `routemq broker passwd FILE USER`: its arguments; the work is in ./broker-passwd.ts. */
export const brokerCommand: CliCommand = {
  register(program, io) {
    program
      .command('broker')
      .description('the embedded MQTT broker')
      .command('passwd')
      .description('add or replace a device account in a users file (password from stdin)')
      .argument('<file>', 'users file (EMBEDDED_BROKER_USERS); created when missing')
      .argument('<user>', 'device user name')
      .action(async (file: string, user: string) => {
        const { readPassword, runBrokerPasswd } = load();
        await runBrokerPasswd(file, user, await readPassword(io), io);
      });
  },
};
