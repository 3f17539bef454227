// Runs the simulator as a process of its own, for the local demo and for end-to-end tests.
//   node packages/apim-simulator/src/main.ts [--port 8083] [--user admin:admin] [--token T]
// It prints one JSON line with its URL once listening, and stops on SIGINT or SIGTERM (or, when a
// test run started it, as soon as that run is gone).
import { parseArgs } from 'node:util';
import { exitWithTestParent } from '@gko/runtime';
import { startSimulator } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    user: { type: 'string', multiple: true },
    token: { type: 'string', multiple: true },
  },
});

const users = (values.user ?? ['admin:admin']).map((pair) => {
  const [username = '', ...password] = pair.split(':');
  return { username, password: password.join(':') };
});
const simulator = await startSimulator({ port: Number(values.port), users, tokens: values.token ?? [] });
process.stdout.write(`${JSON.stringify({ url: simulator.url })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await simulator.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
exitWithTestParent(() => void stop());
