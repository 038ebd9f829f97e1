/** One simulation in its own worker, as React state: load, summary, the view at a target, the report, forks. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { SimClient } from '../core/client';
import type { InjectedFault, RunSpec } from '../core/model';
import type { At } from '../core/protocol';
import type { LogWindowRequest, ReportView, StepView, Summary } from '../core/view';

export interface Run {
  summary: Summary | null;
  view: StepView | null;
  report: ReportView | null;
  loading: boolean;
  error: string | null;
  branch: number;
  setBranch(branch: number): void;
  fork(step: number, fault: InjectedFault): Promise<number | null>;
  /**
   * Asks for the view at `at` without a render of the page first: playback asks every frame, and
   * the page renders once, when the view arrives. (`target` stays what the page last set.)
   */
  request(at: At): void;
  workerMs: number;
}

/**
 * `refresh`: a change asks for the target's view again even when the target is unchanged (after
 * playback, whose views came from `request`, the target may equal the one set before play began).
 */
export function useRun(spec: RunSpec | null, target: At | null, window: LogWindowRequest, onLoaded?: (summary: Summary) => void, refresh = 0): Run {
  const clientRef = useRef<SimClient | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [view, setView] = useState<StepView | null>(null);
  const [report, setReport] = useState<ReportView | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [branch, setBranchState] = useState(0);
  const [workerMs, setWorkerMs] = useState(0);
  const loadedRef = useRef(onLoaded);
  loadedRef.current = onLoaded;
  const specKey = spec ? JSON.stringify(spec) : '';

  useEffect(() => {
    if (!spec) return;
    const client = SimClient.create();
    clientRef.current = client;
    let cancelled = false;
    setLoading(true);
    setError(null);
    setSummary(null);
    setView(null);
    setReport(null);
    setBranchState(0);
    client.load(spec).then(
      async (s) => {
        if (cancelled) return;
        setSummary(s);
        setLoading(false);
        loadedRef.current?.(s);
        const r = await client.report(0);
        if (!cancelled) setReport(r);
      },
      (e: Error) => {
        if (cancelled) return;
        setError(e.message);
        setLoading(false);
      },
    );
    return () => {
      cancelled = true;
      client.terminate();
      if (clientRef.current === client) clientRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [specKey]);

  const targetKey = JSON.stringify(target);
  const windowKey = JSON.stringify(window);
  /** What `request` needs, as of the last render (it is called from outside React, every frame). */
  const current = useRef({ summary, branch, window });
  current.current = { summary, branch, window };
  const ask = useCallback((at: At) => {
    const client = clientRef.current;
    const { summary: loaded, branch: b, window: w } = current.current;
    if (!client || !loaded) return;
    client.view(b, at, w).then((v) => {
      if (v && clientRef.current === client) {
        setView(v);
        setWorkerMs(client.lastViewMs);
      }
    }, (e: Error) => setError(e.message));
  }, []);
  useEffect(() => {
    // null while playing: playback asks for its views itself (a resize then must not ask for where play began).
    if (target) ask(target);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [summary, branch, targetKey, windowKey, refresh]);

  const setBranch = useCallback((b: number) => {
    const client = clientRef.current;
    if (!client) return;
    setBranchState(b);
    client.summary(b).then(setSummary);
    client.report(b).then(setReport);
  }, []);

  const fork = useCallback(async (step: number, fault: InjectedFault) => {
    const client = clientRef.current;
    if (!client) return null;
    setLoading(true);
    try {
      const s = await client.fork(branch, step, fault);
      setBranchState(s.branch);
      setSummary(s);
      client.report(s.branch).then(setReport);
      return s.branch;
    } catch (e) {
      setError((e as Error).message);
      return null;
    } finally {
      setLoading(false);
    }
  }, [branch]);

  return { summary, view, report, loading, error, branch, setBranch, fork, request: ask, workerMs };
}
