/**
 * A local HTTP server that mimics the GitHub REST endpoints of a repository's issues, labels,
 * pull requests and reviews (what the drift and apply-gate tools call), and records every
 * request. Its state is plain data the tests set up and inspect.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  comments: string[];
}

export interface FakePull {
  number: number;
  state: 'open' | 'closed';
  merged_at: string | null;
  merge_commit_sha: string | null;
  base: { ref: string; sha: string };
  head: { sha: string };
  labels: { name: string }[];
  /** Reviews in submission order. */
  reviews: { user: { login: string }; state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED'; commit_id: string }[];
}

export interface FakeRepo {
  url: string;
  issues: FakeIssue[];
  labels: string[];
  pulls: FakePull[];
  /** Commit sha -> numbers of the pull requests it belongs to. */
  commitPulls: Record<string, number[]>;
  requests: { method: string; path: string; body?: any }[];
  writes: () => { method: string; path: string; body?: any }[];
  close: () => Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeRepo(initial: Partial<Pick<FakeRepo, 'issues' | 'labels' | 'pulls' | 'commitPulls'>> = {}): Promise<FakeRepo> {
  const state = {
    issues: (initial.issues ?? []).map((issue) => ({ ...issue, comments: [...issue.comments] })),
    labels: [...(initial.labels ?? [])],
    pulls: initial.pulls ?? [],
    commitPulls: initial.commitPulls ?? {},
  };
  const requests: FakeRepo['requests'] = [];
  let nextNumber = 100;
  const server: Server = createServer(async (request, response) => {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const body = text ? JSON.parse(text) : undefined;
    requests.push({ method: request.method ?? '', path: url.pathname, ...(body ? { body } : {}) });
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    const route = url.pathname.replace(/^\/repos\/[^/]+\/[^/]+/, '');
    const issueJson = (issue: FakeIssue) => ({ number: issue.number, title: issue.title, body: issue.body, state: issue.state, labels: issue.labels.map((name) => ({ name })) });
    let match: RegExpExecArray | null;
    if (request.method === 'GET' && route === '/issues') {
      const wanted = url.searchParams.get('labels');
      const stateFilter = url.searchParams.get('state') ?? 'open';
      return send(200, state.issues.filter((i) => (stateFilter === 'all' || i.state === stateFilter) && (!wanted || i.labels.includes(wanted))).map(issueJson));
    }
    if (request.method === 'POST' && route === '/issues') {
      const issue: FakeIssue = { number: nextNumber++, title: body.title, body: body.body ?? '', state: 'open', labels: body.labels ?? [], comments: [] };
      state.issues.push(issue);
      return send(201, issueJson(issue));
    }
    if ((match = /^\/issues\/(\d+)$/.exec(route)) && request.method === 'PATCH') {
      const issue = state.issues.find((i) => i.number === Number(match![1]));
      if (!issue) return send(404, { message: 'Not Found' });
      if (body.body !== undefined) issue.body = body.body;
      if (body.state) issue.state = body.state;
      return send(200, issueJson(issue));
    }
    if ((match = /^\/issues\/(\d+)\/comments$/.exec(route)) && request.method === 'POST') {
      const issue = state.issues.find((i) => i.number === Number(match![1]));
      if (!issue) return send(404, { message: 'Not Found' });
      issue.comments.push(body.body);
      return send(201, { id: nextNumber++, body: body.body });
    }
    if ((match = /^\/labels\/([^/]+)$/.exec(route)) && request.method === 'GET') {
      const name = decodeURIComponent(match[1]);
      return state.labels.includes(name) ? send(200, { name }) : send(404, { message: 'Not Found' });
    }
    if (route === '/labels' && request.method === 'POST') {
      state.labels.push(body.name);
      return send(201, { name: body.name });
    }
    if ((match = /^\/commits\/([0-9a-f]+)\/pulls$/.exec(route)) && request.method === 'GET') {
      const numbers = state.commitPulls[match[1]] ?? [];
      return send(200, state.pulls.filter((p) => numbers.includes(p.number)).map(({ reviews: _, ...pull }) => pull));
    }
    if ((match = /^\/pulls\/(\d+)$/.exec(route)) && request.method === 'GET') {
      const pull = state.pulls.find((p) => p.number === Number(match![1]));
      if (!pull) return send(404, { message: 'Not Found' });
      const { reviews: _, ...rest } = pull;
      return send(200, rest);
    }
    if ((match = /^\/pulls\/(\d+)\/reviews$/.exec(route)) && request.method === 'GET') {
      const pull = state.pulls.find((p) => p.number === Number(match![1]));
      if (!pull) return send(404, { message: 'Not Found' });
      return send(200, pull.reviews.map((review, index) => ({ id: index + 1, ...review })));
    }
    return send(404, { message: `no fake for ${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    ...state,
    requests,
    writes: () => requests.filter((r) => r.method !== 'GET'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
