// The SMTP sink in a process of its own, as a production relay is: the e-mail benchmark's sender and PostgreSQL
// client then do not share an event loop with the server that receives. Prints its port, then serves until killed.
import { startMailSink } from '../scripts/local/mail-sink.js';

const sink = await startMailSink(process.argv[2] ?? '.');
console.log(JSON.stringify({ port: sink.port }));
process.once('SIGTERM', () => void sink.stop().then(() => process.exit(0)));
