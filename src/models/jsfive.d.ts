// jsfive ships no types. Only what src/models/hdf5.ts touches is declared, and every value read
// from the file is `unknown`: the wrapper narrows it.
declare module 'jsfive' {
  export class Group {
    readonly name: string;
    readonly keys: string[];
    readonly attrs: Record<string, unknown>;
    get(path: string): Group | Dataset | null | undefined;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename: string);
  }
  export class Dataset {
    readonly name: string;
    readonly shape: unknown;
    readonly dtype: unknown;
    readonly attrs: Record<string, unknown>;
    readonly value: unknown;
  }
}
