// The structure GitHub code scanning reads from SARIF 2.1.0, shared by the renderer's unit tests
// and the end-to-end CLI tests.
import { z } from 'zod';

// What GitHub code scanning reads from SARIF 2.1.0 (docs: "SARIF support for code scanning").
const text = z.strictObject({ text: z.string().min(1) });
const region = z
  .strictObject({
    startLine: z.number().int().min(1),
    startColumn: z.number().int().min(1),
    endLine: z.number().int().min(1),
    endColumn: z.number().int().min(1),
  })
  .refine(
    (r) => r.endLine > r.startLine || (r.endLine === r.startLine && r.endColumn > r.startColumn),
    'empty region',
  );
const physicalLocation = z.strictObject({
  artifactLocation: z.strictObject({
    // Repository-relative, `/`-separated: GitHub joins it to the checkout root.
    uri: z.string().regex(/^[^/\\][^\\]*$/),
    uriBaseId: z.literal('%SRCROOT%'),
  }),
  region,
});
const level = z.enum(['error', 'warning', 'note']);
export const sarifSchema = z.object({
  $schema: z.url(),
  version: z.literal('2.1.0'),
  runs: z
    .array(
      z.object({
        tool: z.object({
          driver: z.object({
            name: z.literal('lbguard'),
            informationUri: z.url(),
            version: z.string().regex(/^\d+\.\d+\.\d+/),
            rules: z.array(
              z.strictObject({
                id: z.string().min(1),
                name: z.string().regex(/^[A-Za-z0-9]+$/),
                shortDescription: text,
                fullDescription: text,
                help: z.strictObject({ text: z.string().min(1), markdown: z.string().min(1) }),
                helpUri: z.url(),
                defaultConfiguration: z.strictObject({ level }),
                properties: z.strictObject({ tags: z.array(z.string()) }),
              }),
            ),
          }),
        }),
        results: z.array(
          z.object({
            ruleId: z.string(),
            ruleIndex: z.number().int().min(0),
            level,
            message: text,
            locations: z.array(z.strictObject({ physicalLocation })).length(1),
            relatedLocations: z
              .array(z.strictObject({ id: z.number().int(), physicalLocation, message: text }))
              .optional(),
            partialFingerprints: z.record(z.string(), z.string()),
            baselineState: z.enum(['new', 'unchanged']).optional(),
          }),
        ),
      }),
    )
    .length(1),
});
