/** A local HTTP server that mimics the GitHub REST endpoints for issue comments and records every request. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
  body?: { body?: string };
}

export interface FakeComment {
  id: number;
  body: string;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedRequest[];
  comments: FakeComment[];
  /** Requests that write (anything but GET). */
  writes: () => RecordedRequest[];
  close: () => Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the server on a free local port, with the given comments already on the pull request. */
export async function startFakeGitHub(initialComments: FakeComment[] = []): Promise<FakeGitHub> {
  const comments = initialComments.map((comment) => ({ ...comment }));
  const requests: RecordedRequest[] = [];
  let nextId = 1000;
  const server: Server = createServer(async (request, response) => {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = text ? (JSON.parse(text) as { body?: string }) : undefined;
    requests.push({
      method: request.method ?? '',
      path: url.pathname,
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
      ...(body ? { body } : {}),
    });
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    const list = /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/;
    const one = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/;
    if (request.method === 'GET' && list.test(url.pathname)) return send(200, comments);
    if (request.method === 'POST' && list.test(url.pathname)) {
      const comment = { id: nextId++, body: body?.body ?? '' };
      comments.push(comment);
      return send(201, comment);
    }
    const match = one.exec(url.pathname);
    if (request.method === 'PATCH' && match) {
      const comment = comments.find((candidate) => candidate.id === Number(match[1]));
      if (!comment) return send(404, { message: 'Not Found' });
      comment.body = body?.body ?? '';
      return send(200, comment);
    }
    return send(404, { message: `no fake for ${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    comments,
    writes: () => requests.filter((request) => request.method !== 'GET'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
