/** Types of app.js, the plain JavaScript app that Beanstalk runs, for the project's tests. */
import type { Server } from 'http';

export interface AppLog {
  warn(message: string): void;
}

export declare const DEFAULT_COLOR: string;
export declare const HEALTH_PATH: string;
export declare function escapeHtml(text: unknown): string;
export declare function resolveAppColor(value: string | undefined, log: AppLog): string;
export declare function renderPage(page: { userAgent?: string; appColor: string }): string;
export declare function createServer(options?: { appColor?: string; log?: AppLog }): Server;
