/** Types of colors.js, which the app runs as plain JavaScript and the stack uses to check APP_COLOR at synth. */
export declare function isCssColor(value: unknown): boolean;
export declare const NAMED_COLORS: ReadonlySet<string>;
