// npm run -s expr -- '<expression>' [--task '<json>'] [--worker '<json>'] [--context '<json>']
// Prints true or false (exit 0), or error: <message> (exit 2). See tools/expr/cli.ts.
import { runExpressionCli } from './cli';

const result = runExpressionCli(process.argv.slice(2));
process.stdout.write(result.stdout);
process.stderr.write(result.stderr);
process.exitCode = result.exitCode;
