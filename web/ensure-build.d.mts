// Types for ensure-build.mjs (plain JavaScript so `npm start` can run it before tsx is involved).
export declare const webDistIndex: string;
export declare function isWebBuildStale(): boolean;
export declare function ensureWebBuild(options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;
