import { useCallback, useEffect, useReducer } from "react";
import { unwrap } from "../api/client";
import { toApiError } from "../api/errors";
import { openEventStream, readEvents } from "../api/sse";
import { useApi } from "../auth/AuthContext";
import { followReducer, isActive, type Run } from "./progress";

const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 10_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * useFollowRun follows a run while it is queued or running: its event stream
 * (with the access token, renewed once on a 401), reconnecting after a drop with
 * a poll of the run in between, so the screen keeps moving while the stream is
 * down. `update` takes a run from elsewhere (the answer to pause or resume); a
 * resumed run is followed again. Mount it with a key per run.
 */
export function useFollowRun(runId: string, initial: Run | null) {
  const api = useApi();
  const [state, dispatch] = useReducer(followReducer, {
    run: initial,
    connection: initial && !isActive(initial) ? "ended" : "connecting",
    error: null,
  });
  const follow = state.run === null || isActive(state.run);

  useEffect(() => {
    if (!follow) return;
    const ctrl = new AbortController();
    const { signal } = ctrl;
    const run = async () => {
      let delay = FIRST_RETRY_MS;
      const auth = { token: () => api.session.accessToken, refresh: () => api.refresh() };
      while (!signal.aborted) {
        dispatch({ type: "connecting" });
        try {
          const res = await openEventStream(`/api/pipelines/${runId}/events`, { signal, cache: "no-store" }, auth);
          if (res.ok && res.body) {
            let ended = false;
            await readEvents(res.body, (e) => {
              if (e.event !== "progress" && e.event !== "end") return;
              const next = JSON.parse(e.data) as Run;
              dispatch({ type: e.event, run: next });
              if (e.event === "end") ended = true;
              delay = FIRST_RETRY_MS;
            });
            if (ended) return;
          } else if (res.status < 500 && res.status !== 408 && res.status !== 429) {
            const body: unknown = await res.json().catch(() => null);
            dispatch({ type: "failed", message: toApiError(res.status, body).message });
            return;
          }
        } catch {
          if (signal.aborted) return;
        }
        dispatch({ type: "dropped" });
        try {
          const polled = await unwrap(api.client.GET("/api/pipelines/{id}", { params: { path: { id: runId } }, signal }));
          dispatch({ type: "polled", run: polled });
          if (!isActive(polled)) return;
        } catch {
          // Still unreachable: wait and try the stream again.
        }
        await sleep(delay, signal);
        delay = Math.min(delay * 2, LONGEST_RETRY_MS);
      }
    };
    void run();
    return () => ctrl.abort();
  }, [runId, follow, api]);

  const update = useCallback((next: Run) => dispatch({ type: "polled", run: next }), []);
  return { ...state, update };
}
