// Command-line parsing on commander: one typed spec per command (src/cli/commands.ts), from which
// commander builds per-command help, "did you mean" suggestions and the usage errors. Commands see
// only plain values, never commander itself, so a command's module stays testable on its own.
import { Command, CommanderError, Option } from 'commander';
import { wrap } from '../render/style.ts';
import { TOOL } from '../render/tool.ts';
import type { Io } from './main.ts';

/** A string option takes a value (`--format sarif`); a boolean one is a switch (`--dry-run`). */
export type OptionSpec =
  | {
      type: 'string';
      /** The value's name in help: `--format <format>`. */
      value: string;
      description: string;
      choices?: readonly string[];
      default?: string;
      short?: string;
    }
  | { type: 'boolean'; description: string; short?: string };

/** A string option's value: one of its choices when it lists them. */
type StringOf<S> = S extends { choices: readonly (infer C)[] } ? C : string;
type ValueOf<S> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'string' }
    ? StringOf<S>
    : string | boolean;
type WithDefault<O> = { [K in keyof O as O[K] extends { default: string } ? K : never]: ValueOf<O[K]> };
/** commander leaves an option out when it was not given and has no default. */
type Optional<O> = { [K in keyof O as O[K] extends { default: string } ? never : K]?: ValueOf<O[K]> };

/** What a command's run receives: each option under its key, and the positional arguments. */
export type Parsed<O extends Record<string, OptionSpec>> = {
  values: WithDefault<O> & Optional<O>;
  positionals: string[];
};

export type CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> = {
  name: string;
  /** One line for `lbguard --help`. */
  summary: string;
  /** Positional arguments in commander's syntax (`[path...]`, `<rule>`), with what they mean. */
  args?: readonly { name: string; description: string }[];
  /** Keys are camelCase (`newOnly`); the flag is their kebab-case (`--new-only`). */
  options: O;
  /** Free text after the generated option list (exit status, examples). */
  more?: string;
  /** Loads the command's module only when it runs, so `check` never pays for `review`. */
  // Method syntax on purpose: it lets every command's spec sit in one registry array.
  run(parsed: Parsed<O>, io: Io): Promise<number>;
};

/** Keeps a spec's option types, so `run` sees `values.format` as a string. */
export const defineCommand = <O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): CommandSpec<O> =>
  spec;

const kebab = (key: string) => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function toOption(key: string, spec: OptionSpec): Option {
  const short = spec.short ? `-${spec.short}, ` : '';
  const flags = `${short}--${kebab(key)}${spec.type === 'string' ? ` <${spec.value}>` : ''}`;
  const option = new Option(flags, spec.description);
  if (spec.type === 'string') {
    if (spec.choices) option.choices(spec.choices);
    if (spec.default !== undefined) option.default(spec.default);
  }
  return option;
}

/** Usage errors and help exit 2 and 0; a command's own result is its exit status. */
export async function runCommandLine(
  argv: readonly string[],
  commands: readonly CommandSpec[],
  io: Io,
): Promise<number> {
  let status: number | undefined;
  // commander wraps what it generates; free text is wrapped here, to the same width.
  const wrapHelp = (text: string) =>
    text
      .split('\n')
      .map((line) => wrap(line, io.columns, ''))
      .join('\n');
  const program = new Command('lbguard')
    .description('Checks that PureLB ServiceGroups and Calico BGP configuration agree.')
    .version(TOOL.version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: io.out,
      writeErr: io.err,
      getOutHelpWidth: () => io.columns ?? 80,
      getErrHelpWidth: () => io.columns ?? 80,
      // Every message of ours starts `lbguard:`; commander's start `error:`.
      outputError: (text, write) => write(text.replace(/^error: /, 'lbguard: ')),
    })
    .showSuggestionAfterError(true)
    .showHelpAfterError('(lbguard --help lists the commands; lbguard COMMAND --help shows one)')
    .addHelpText(
      'after',
      `\n${wrapHelp('Exit status: 0 nothing fails the run, 1 findings fail it, 2 usage or I/O error.')}`,
    );
  for (const spec of commands) {
    const sub = program.command(spec.name).description(spec.summary);
    for (const a of spec.args ?? []) sub.argument(a.name, a.description);
    for (const [key, option] of Object.entries(spec.options)) sub.addOption(toOption(key, option));
    if (spec.more) sub.addHelpText('after', `\n${wrapHelp(spec.more)}`);
    sub.action(async () => {
      // commander built these values from the same spec, so they have the spec's types.
      status = await spec.run({ values: sub.opts(), positionals: sub.args }, io);
    });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // `lbguard` alone prints the help as an error (exit 1 in commander); usage errors are 2 here.
    return e.exitCode === 0 ? 0 : 2;
  }
  return status ?? 0;
}
