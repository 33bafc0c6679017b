import { runJobDriverContract } from './jobs.contract';

runJobDriverContract('in-process (REDIS_URL unset)', {
  kind: 'memory',
  options: () => ({}),
});
