// The SMTP sink in a process of its own, as a production relay is: the e-mail benchmark's sender and PostgreSQL
// client then do not share an event loop with the server that receives. Prints its port, then serves until killed.
import { startMailSink } from '../scripts/local/mail-sink.js';

// Only the files: the sink of a run of thousands of messages must not spend the run collecting their garbage.
const sink = await startMailSink(process.argv[2] ?? '.', 0, { inMemory: false });
console.log(JSON.stringify({ port: sink.port }));
process.once('SIGTERM', () => void sink.stop().then(() => process.exit(0)));
