'use strict';

const http = require('http');
const { isCssColor } = require('./colors');

const DEFAULT_COLOR = 'blue';
const HEALTH_PATH = '/health';

/** Escapes text for HTML element content and attribute values. */
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({
    '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
  }[c]));
}

/** APP_COLOR if it is a CSS colour; otherwise the default, and a log line saying why. */
function resolveAppColor(value, log) {
  if (value === undefined || value === '') return DEFAULT_COLOR;
  if (isCssColor(value)) return value;
  log.warn(`APP_COLOR ${JSON.stringify(value)} is not a CSS colour name or #rgb/#rrggbb value; using ${DEFAULT_COLOR}`);
  return DEFAULT_COLOR;
}

/**
 * The chapter's page: the heading in APP_COLOR, the request's User-Agent, and the colour. Everything echoed is
 * escaped.
 */
function renderPage({ userAgent, appColor }) {
  return [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"><title>Hello, Elastic Beanstalk!</title></head><body>',
    `<h1 style="color: ${escapeHtml(appColor)};">Hello, Elastic Beanstalk!</h1>`,
    `<p>Your user agent is: ${escapeHtml(userAgent ?? '(none)')}</p>`,
    `<p>App color: ${escapeHtml(appColor)}</p>`,
    '</body></html>',
  ].join('\n');
}

/** The web app as an HTTP server (not yet listening). */
function createServer({ appColor, log = console } = {}) {
  const color = resolveAppColor(appColor, log);
  return http.createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Method not allowed\n');
    } else if (pathname === HEALTH_PATH) {
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok"}\n');
    } else if (pathname === '/') {
      response.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
        'X-Content-Type-Options': 'nosniff',
      }).end(renderPage({ userAgent: request.headers['user-agent'], appColor: color }));
    } else {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
    }
  });
}

module.exports = { createServer, renderPage, resolveAppColor, escapeHtml, DEFAULT_COLOR, HEALTH_PATH };
