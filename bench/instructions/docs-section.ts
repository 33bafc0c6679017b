/**
 * The "Instruction counts" section of docs/benchmarks.md, from the committed baseline: written by a
 * full `npm run bench` and by `npm run bench:instructions -- --update`.
 * @module
 */
import { markdownTable } from '../report/tables';
import { readBaseline, type Baseline } from './baseline';
import { CHUNK_BYTES } from './publish-stream';
import { BASELINE_PATH } from './paths';
import { attributionTable, streamTable } from './report';

export function instructionSection(baseline: Baseline | undefined = readBaseline(BASELINE_PATH)): string {
  const tables = baseline
    ? `Committed baseline (\`bench/instructions/baseline.json\`: commit ${baseline.commit}, ${baseline.recorded},
${baseline.node}, ${baseline.valgrind}; ${baseline.warmUp.toLocaleString('en-US')} messages of warm-up, runs of
${baseline.messages.toLocaleString('en-US')} and ${(2 * baseline.messages).toLocaleString('en-US')} messages):

${markdownTable(streamTable(baseline.perMessage))}

${markdownTable(attributionTable(baseline.perMessage))}`
    : '_No baseline recorded yet: `npm run bench:instructions -- --update`._';
  return `## Instruction counts

CPU time per message on this machine swings about 3x with what the other processes do; the number of
instructions a message costs does not, when the program itself is deterministic. \`npm run
bench:instructions\` runs each subject under \`valgrind --tool=callgrind\` and reports instructions per
message:

- **Deterministic V8.** \`node --predictable --hash-seed=1 --random-seed=1 --max-semi-space-size=1
  --expose-gc\`: every compile and GC task on the main thread, fixed seeds, a fixed 1 MiB nursery (a
  scavenge every few dozen messages, so garbage costs each subject in proportion).
- **The same input.** A recorded stream of PUBLISH packets (made with mqtt-packet, the ~110-byte
  reading of the end-to-end benchmark) goes through an in-memory socket into each subject's own
  mqtt.js client, in ${CHUNK_BYTES / 1024} KiB chunks; a chunk is handed over once the messages of the previous ones
  were handled. mqtt.js decoding is included and batching is identical for every subject and run.
- **Only the messages.** Start-up and a warm-up run uncounted (callgrind's \`--instr-atstart=no\`; the
  runner switches counting on when the subject is warm). Then two runs, of N and 2N messages, each after
  a young-generation GC, between two calls where callgrind dumps its counters; (2N run - N run) / N
  is the cost of a message, without any fixed cost of a run.
- **Subjects**: (a) a bare mqtt.js client doing the work in \`handleMessage\` (topic split, JSON.parse,
  a field read; at QoS 1 acknowledging after it), (b) a RouteMQ route with a parameter and one
  middleware, (c) the same with the six-field class-validator DTO; at QoS 0 and 1. Behind a recording
  transport, in process: the work alone, RouteMQ without the middleware, with it, with the DTO, which
  tells where RouteMQ's instructions go.

Repeatability: two runs of the same commit agree within 0.2 % for the QoS 0 stream subjects and within
about 1 % in process. The QoS 1 stream subjects vary by a few per cent: their acknowledgement path runs
wall-clock timers, and under callgrind a run takes 50x longer, so they fire more or less often. They
are reported and not checked.

\`npm run bench:instructions -- --check\` measures the checked subjects and fails when one costs more
than 3 % over the baseline. It is not in \`.ci/run\` yet: the stream DTO subject's count is not stable
enough (two runs of unchanged DTO code gave 78,274 and 179,928), so a check there could fail a
change that costs nothing. After a change that is meant to cost more (or less),
re-record on this machine type: \`npm run bench:instructions -- --update\`, and commit
\`bench/instructions/baseline.json\` with the change. \`--profile 20 --only stream/route/qos0\` lists the
functions with the most instructions (V8's builtins, parser and GC by name; compiled JavaScript as one line).

${tables}`;
}
