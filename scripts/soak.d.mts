/** Types of scripts/soak.mjs, for the reliability test that runs it. */
export declare const soakServerArgs: string[];
export declare function rssMiB(pid: number): number;
export declare function soak(options: {
  url: string;
  key: string;
  controlToken?: string;
  pid: number;
  rounds?: number;
  minutes?: number;
  log?: (line: string) => void;
}): Promise<{ statuses: Record<string, number>; failures: string[]; rss: number[] }>;
