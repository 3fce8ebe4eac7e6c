#!/usr/bin/env node
'use strict';
// A local HTTP front for the embedded ClickHouse engine (chDB): it implements the ClickHouse HTTP interface
// that clients use (SQL in the body or the `query` parameter, insert data in the body, X-ClickHouse-*
// headers, param_*, settings as URL parameters, basic auth, error code header, summary header, request bodies
// in gzip, deflate, br, lz4 or zstd; answers in gzip or lz4) and hands every statement, unchanged, to one chDB
// session. Requests run one at a time. Node 20 has no zstd: a zstd insert body goes to the engine as a zstd
// file, which it reads itself (INFILE ... COMPRESSION 'zstd').
//
// Usage: node clickhouse-front.js [--port N] [--user NAME] [--password SECRET] [--data DIR]
//          [--tls-cert cert.pem --tls-key key.pem] [--config-file server-config.xml] [--exit-with-stdin true]
//          [--request-log FILE] [--on-cluster-locally true]
// --config-file hands a server configuration (disks, storage policies, backup locations) to the engine, as
// a server's config.d would. --request-log appends one JSON line per statement: whether it is an insert, its
// request's Content-Encoding, its
// first 300 characters as received and the settings it ran with (never the password or bound parameters), so that tests can
// see what a client asked the server for. --on-cluster-locally stands in for what the engine lacks to run
// distributed DDL (Keeper): a statement `... ON CLUSTER name ...` runs on this engine alone, without the clause and
// with a `Replicated*MergeTree` engine (without arguments) as its plain `*MergeTree`, and is answered as a server
// answers distributed DDL: one row per host of the cluster in the configuration (host, port, status, error,
// num_hosts_remaining, num_hosts_active). This engine is the host that is local; every other host counts as
// not answering in time: its status is NULL with distributed_ddl_output_mode 'null_status_on_timeout' or
// 'never_throw', and otherwise the statement fails with TIMEOUT_EXCEEDED (159), as a server's does once
// distributed_ddl_task_timeout has passed.
// Prints "LISTENING <port>" on stdout once it accepts connections (port 0 picks a free one).

const http = require('http');
const https = require('https');
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');
const { Session } = require('chdb');
const lz4 = require('./lz4-frame.js');

const options = parseArguments(process.argv.slice(2));
const dataDirectory = options.data || fs.mkdtempSync(path.join(os.tmpdir(), 'clickhouse-front-'));
const temporaryDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'clickhouse-front-insert-'));
const session = options['config-file']
  ? new Session(dataDirectory, { connectionArgs: [`--config-file=${path.resolve(options['config-file'])}`] })
  : new Session(dataDirectory);
const serverTimezone = 'UTC';

// URL parameters that steer the HTTP exchange itself rather than the query.
const PROTOCOL_PARAMETERS = new Set([
  'query', 'database', 'default_format', 'user', 'password', 'query_id', 'compress', 'decompress',
  'enable_http_compression', 'http_zlib_compression_level', 'wait_end_of_query', 'session_id',
  'session_timeout', 'session_check', 'buffer_size', 'send_progress_in_http_headers',
  'http_headers_progress_interval_ms', 'add_http_cors_header', 'role', 'client_protocol_version',
]);

// ClickHouse's own mapping of some error codes to HTTP statuses.
const HTTP_STATUS_BY_CODE = new Map([
  [62, 400], [27, 400], [26, 400], [53, 400], [36, 400], [16, 400], [47, 400], [6, 400], [41, 400],
  [60, 404], [81, 404], [73, 404], [192, 401], [193, 401], [194, 401], [516, 401], [497, 403],
  [159, 504], [209, 504], [210, 502], [252, 500],
]);

let queue = Promise.resolve();

const tls = options['tls-cert'] && options['tls-key']
  ? { cert: fs.readFileSync(options['tls-cert']), key: fs.readFileSync(options['tls-key']) }
  : null;

const server = (tls ? https.createServer.bind(https, tls) : http.createServer)((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    queue = queue.then(() => handle(request, body, response)).catch((error) => {
      sendError(response, 1002, `Code: 1002. DB::Exception: ${error && error.message}. (UNKNOWN_EXCEPTION)`, request);
    });
  });
});

server.listen(options.port || 0, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${server.address().port}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, shutdown);
}
if (options['exit-with-stdin'] === 'true') {
  // Started by a test run: when the parent process goes away its end of the pipe closes, and so do we.
  process.stdin.on('end', shutdown);
  process.stdin.resume();
}

function shutdown() {
  server.close();
  try {
    session.cleanup();
  } catch (ignored) {
    // the process is going away
  }
  fs.rmSync(temporaryDirectory, { recursive: true, force: true });
  if (!options.data) {
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  }
  process.exit(0);
}

async function handle(request, rawBody, response) {
  const url = new URL(request.url, 'http://127.0.0.1');
  const params = url.searchParams;
  if ((url.pathname === '/ping' || url.pathname === '/') && !params.has('query') && rawBody.length === 0) {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
    response.end('Ok.\n');
    return;
  }
  if (url.pathname !== '/') {
    sendError(response, 1001, `Code: 1001. DB::Exception: There is no handle ${url.pathname}. (UNKNOWN_HANDLER)`, request, 404);
    return;
  }
  const queryId = request.headers['x-clickhouse-query-id'] || params.get('query_id') || crypto.randomUUID();
  if (!authenticated(request, params)) {
    sendError(response, 516,
      'Code: 516. DB::Exception: default: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)',
      request, undefined, queryId);
    return;
  }
  let body;
  let fileCompression = null;
  try {
    ({ body, fileCompression } = decodeBody(request, rawBody, params));
  } catch (error) {
    sendError(response, 432, `Code: 432. DB::Exception: ${error.message}. (UNKNOWN_CODEC)`, request, 400, queryId);
    return;
  }

  // The statement is the `query` parameter followed by the body, or the body alone; for an INSERT the data
  // starts after the statement's FORMAT clause (or is the whole body when the statement is in `query`).
  let statement;
  let insertData = null;
  if (params.has('query')) {
    statement = params.get('query');
    if (isInsert(statement)) {
      insertData = body;
    } else if (body.length > 0) {
      statement = statement + ' ' + body.toString('utf8');
    }
  } else {
    const split = splitInsert(body);
    if (split) {
      statement = split.statement;
      insertData = split.data;
    } else {
      statement = body.toString('utf8');
    }
  }
  if (fileCompression && insertData === null) {
    sendError(response, 432,
      `Code: 432. DB::Exception: this front reads ${fileCompression} bodies of inserts only (its Node has no ${fileCompression} decoder). (UNKNOWN_CODEC)`,
      request, 400, queryId);
    return;
  }
  if (!statement || !statement.trim()) {
    sendError(response, 62, 'Code: 62. DB::Exception: Empty query. (SYNTAX_ERROR)', request, undefined, queryId);
    return;
  }

  const database = request.headers['x-clickhouse-database'] || params.get('database');
  const format = request.headers['x-clickhouse-format'] || params.get('default_format') || 'TabSeparated';
  const bindings = {};
  const settings = [];
  for (const [name, value] of params) {
    if (name.startsWith('param_')) {
      bindings[name.substring('param_'.length)] = value;
    } else if (!PROTOCOL_PARAMETERS.has(name)) {
      settings.push([name, value]);
    }
  }

  let temporaryFile = null;
  const applied = [];
  try {
    if (database) {
      await session.queryAsync(`USE ${quoteIdentifier(database)}`);
    }
    for (const [name, value] of settings) {
      await session.queryAsync(`SET ${quoteIdentifier(name)} = ${literal(value)}`);
      applied.push(name);
    }
    const received = statement;
    const onCluster = options['on-cluster-locally'] === 'true' ? splitOnCluster(statement) : null;
    if (onCluster) {
      statement = onCluster.statement;
    }
    if (insertData !== null) {
      temporaryFile = path.join(temporaryDirectory, `${queryId.replace(/[^A-Za-z0-9_-]/g, '_')}-${process.hrtime.bigint()}`);
      fs.writeFileSync(temporaryFile, insertData);
      statement = insertFromFile(statement, temporaryFile, fileCompression);
    }
    if (options['request-log']) {
      fs.appendFileSync(options['request-log'], JSON.stringify({
        insert: insertData !== null,
        encoding: (request.headers['content-encoding'] || '').toLowerCase(),
        statement: received.substring(0, 300),
        settings: Object.fromEntries(settings),
      }) + '\n');
    }
    let result = Object.keys(bindings).length > 0
      ? await session.queryBindAsync(statement, bindings, { format })
      : await session.queryAsync(statement, { format });
    if (onCluster) {
      result = await answerPerHost(onCluster.cluster, settings, format);
    }
    const bytes = Buffer.from(result.bytes());
    const summary = {
      read_rows: String(result.rowsRead || 0),
      read_bytes: String(result.bytesRead || 0),
      written_rows: String(insertData !== null ? result.rowsRead || 0 : 0),
      written_bytes: String(insertData !== null ? insertData.length : 0),
      total_rows_to_read: String(result.rowsRead || 0),
      result_rows: '0',
      result_bytes: String(bytes.length),
      elapsed_ns: String(Math.round((result.elapsed || 0) * 1e9)),
    };
    sendResult(response, request, params, bytes, format, queryId, summary);
  } catch (error) {
    const message = (error && error.message) || String(error);
    const match = /Code: (\d+)\./.exec(message);
    const code = error && error.clickhouseCode ? error.clickhouseCode : match ? Number(match[1]) : 1002;
    sendError(response, code, message.startsWith('Code:') ? message : `Code: ${code}. DB::Exception: ${message}`, request, undefined, queryId);
  } finally {
    if (temporaryFile) {
      fs.rmSync(temporaryFile, { force: true });
    }
    for (const name of applied) {
      try {
        await session.queryAsync(`SET ${quoteIdentifier(name)} = DEFAULT`);
      } catch (ignored) {
        // a setting that cannot be reset keeps its value for this session only
      }
    }
    if (database) {
      await session.queryAsync('USE default').catch(() => {});
    }
  }
}

// `... ON CLUSTER name ...` -> the statement without the clause (and Replicated engines as plain ones) and the name.
function splitOnCluster(statement) {
  if (!/^\s*(CREATE|ALTER|DROP|TRUNCATE|RENAME|EXCHANGE|OPTIMIZE|SYSTEM|GRANT|REVOKE)\s/i.test(statement)) {
    return null;
  }
  const clause = /\sON\s+CLUSTER\s+(`(?:[^`\\]|\\.)+`|'(?:[^'\\]|\\.)*'|[A-Za-z0-9_]+)/i.exec(statement);
  if (!clause) {
    return null;
  }
  const quoted = clause[1];
  const cluster = /^[`']/.test(quoted) ? quoted.slice(1, -1).replace(/\\(.)/g, '$1') : quoted;
  const local = (statement.substring(0, clause.index) + statement.substring(clause.index + clause[0].length))
    .replace(/\bENGINE\s*=\s*Replicated([A-Za-z]*MergeTree)\b(\s*\(\s*\))?/gi, 'ENGINE = $1');
  return { statement: local, cluster };
}

async function answerPerHost(cluster, settings, format) {
  const hosts = `FROM system.clusters WHERE cluster = ${literal(cluster)}`;
  const counted = await session.queryAsync(`SELECT count(), countIf(NOT is_local) ${hosts}`, { format: 'TSV' });
  const [all, notLocal] = Buffer.from(counted.bytes()).toString('utf8').trim().split('\t').map(Number);
  if (all === 0) {
    throw new Error(`Code: 701. DB::Exception: Requested cluster '${cluster}' not found. (CLUSTER_DOESNT_EXIST)`);
  }
  const mode = (new Map(settings).get('distributed_ddl_output_mode') || 'throw').toLowerCase();
  const nullable = mode.startsWith('null_status_on_timeout') || mode === 'never_throw';
  if (!nullable && notLocal > 0) {
    throw new Error(`Code: 159. DB::Exception: Distributed DDL task is not finished on ${notLocal} of ${all} hosts `
      + '(0 of them are currently executing the task, 0 are inactive). They are going to execute the query in '
      + 'background. (TIMEOUT_EXCEEDED)');
  }
  const status = nullable ? 'CAST(if(is_local, 0, NULL) AS Nullable(Int64))' : 'toInt64(0)';
  const error = nullable ? "CAST(if(is_local, '', NULL) AS Nullable(String))" : "''";
  return session.queryAsync(
    `SELECT host_name AS host, toUInt16(port) AS port, ${status} AS status, ${error} AS error, `
      + `toUInt64(${notLocal}) AS num_hosts_remaining, toUInt64(${all - notLocal}) AS num_hosts_active ${hosts}`,
    { format });
}

function authenticated(request, params) {
  const expectedUser = options.user || 'default';
  const expectedPassword = options.password || '';
  let user = request.headers['x-clickhouse-user'] || params.get('user');
  let password = request.headers['x-clickhouse-key'] || params.get('password');
  const authorization = request.headers['authorization'];
  if (authorization && authorization.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.substring(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    user = colon >= 0 ? decoded.substring(0, colon) : decoded;
    password = colon >= 0 ? decoded.substring(colon + 1) : '';
  }
  return (user || 'default') === expectedUser && (password || '') === expectedPassword;
}

function decodeBody(request, body, params) {
  const encoding = (request.headers['content-encoding'] || '').toLowerCase();
  const decoded = (plain) => ({ body: plain, fileCompression: null });
  if (encoding === 'gzip') {
    return decoded(zlib.gunzipSync(body));
  }
  if (encoding === 'deflate') {
    return decoded(zlib.inflateSync(body));
  }
  if (encoding === 'lz4') {
    return decoded(lz4.decode(body));
  }
  if (encoding === 'br') {
    return decoded(zlib.brotliDecompressSync(body));
  }
  if (encoding === 'zstd') {
    // Node 20 has no zstd: an insert's body goes to the engine as a zstd file, which it reads itself
    return typeof zlib.zstdDecompressSync === 'function'
      ? decoded(zlib.zstdDecompressSync(body))
      : { body, fileCompression: 'zstd' };
  }
  if (encoding && encoding !== 'identity') {
    throw new Error(`Unknown Content-Encoding ${encoding}`);
  }
  if (params.get('decompress') === '1' && body.length > 0) {
    throw new Error('this front does not read ClickHouse native block compression (decompress=1); send plain or HTTP-compressed bodies');
  }
  return decoded(body);
}

function isInsert(statement) {
  return /^\s*(--[^\n]*\n\s*)*INSERT\s+INTO\s/i.test(statement);
}

// A body that starts with "INSERT INTO ... FORMAT Name" followed by a newline carries its data after it.
function splitInsert(body) {
  const head = body.subarray(0, Math.min(body.length, 64 * 1024)).toString('latin1');
  const match = /^\s*INSERT\s+INTO\s[\s\S]*?\sFORMAT\s+([A-Za-z0-9_]+)[ \t]*(\r?\n|$)/i.exec(head);
  if (!match) {
    return null;
  }
  const statementEnd = match.index + match[0].length;
  return {
    statement: body.subarray(0, statementEnd).toString('utf8').trim(),
    data: body.subarray(statementEnd),
  };
}

// INSERT INTO t [(cols)] [SETTINGS ...] FORMAT X  ->  INSERT INTO t [(cols)] FROM INFILE 'f' [COMPRESSION 'c'] [SETTINGS ...] FORMAT X
// (chDB ends inline data at the first blank line, which corrupts binary formats; a file has no such limit).
// INSERT INTO t (cols) SELECT ... FROM input('structure') FORMAT X, where a server reads the body as the
// input() table, becomes a SELECT from file('f', 'X', 'structure'[, 'c']).
function insertFromFile(statement, file, compression) {
  const trimmed = statement.trim().replace(/;\s*$/, '');
  const input = /\binput\s*\(\s*('(?:[^'\\]|\\.)*')\s*\)/i.exec(trimmed);
  if (input) {
    const format = /\sFORMAT\s+([A-Za-z0-9_]+)\s*$/i.exec(trimmed);
    const withoutFormat = format ? trimmed.substring(0, format.index) : trimmed;
    const compressed = compression ? `, ${literal(compression)}` : '';
    const reader = `file(${literal(file)}, ${literal(format ? format[1] : 'TabSeparated')}, ${input[1]}${compressed})`;
    return withoutFormat.replace(input[0], () => reader);
  }
  const formatAt = trimmed.search(/\sFORMAT\s+[A-Za-z0-9_]+\s*$/i);
  const settingsAt = trimmed.search(/\sSETTINGS\s/i);
  const cut = settingsAt >= 0 && (formatAt < 0 || settingsAt < formatAt) ? settingsAt : formatAt;
  const infile = ` FROM INFILE ${literal(file)}` + (compression ? ` COMPRESSION ${literal(compression)}` : '');
  if (cut < 0) {
    return `${trimmed}${infile} FORMAT TabSeparated`;
  }
  return trimmed.substring(0, cut) + infile + trimmed.substring(cut);
}

function sendResult(response, request, params, bytes, format, queryId, summary) {
  const headers = {
    'Content-Type': contentType(format),
    'X-ClickHouse-Query-Id': queryId,
    'X-ClickHouse-Format': format,
    'X-ClickHouse-Timezone': serverTimezone,
    'X-ClickHouse-Server-Display-Name': 'clickhouse-front',
    'X-ClickHouse-Summary': JSON.stringify(summary),
  };
  let payload = bytes;
  // compress=1 asks for ClickHouse's native block compression; clients accept an HTTP-encoded answer instead.
  const accepted = request.headers['accept-encoding'] || '';
  const httpCompression = params.get('enable_http_compression') === '1';
  if (httpCompression && /\blz4\b/.test(accepted)) {
    payload = lz4.encode(bytes);
    headers['Content-Encoding'] = 'lz4';
  } else if (params.get('compress') === '1' || (httpCompression && /\bgzip\b/.test(accepted))) {
    payload = zlib.gzipSync(bytes);
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = payload.length;
  response.writeHead(200, headers);
  response.end(payload);
}

function sendError(response, code, message, request, status, queryId) {
  const text = `${message}${/\(version [^)]*\)/.test(message) ? '' : ' (version 26.7.2.1 (chDB))'}\n`;
  const headers = {
    'Content-Type': 'text/plain; charset=UTF-8',
    'X-ClickHouse-Exception-Code': String(code),
    'X-ClickHouse-Server-Display-Name': 'clickhouse-front',
    'Content-Length': Buffer.byteLength(text),
  };
  if (queryId) {
    headers['X-ClickHouse-Query-Id'] = queryId;
  }
  response.writeHead(status || HTTP_STATUS_BY_CODE.get(code) || 500, headers);
  response.end(text);
}

function contentType(format) {
  if (/^JSON/i.test(format)) {
    return 'application/json; charset=UTF-8';
  }
  if (/^(RowBinary|Native|Parquet|Arrow|ORC|Avro|MsgPack)/i.test(format)) {
    return 'application/octet-stream';
  }
  return 'text/tab-separated-values; charset=UTF-8';
}

function quoteIdentifier(name) {
  return '`' + String(name).replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

function literal(value) {
  return "'" + String(value).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

function parseArguments(args) {
  const result = {};
  for (let i = 0; i < args.length; i += 2) {
    const name = args[i].replace(/^--/, '');
    result[name] = args[i + 1];
  }
  if (result.port !== undefined) {
    result.port = Number(result.port);
  }
  return result;
}
