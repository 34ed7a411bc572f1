import { useCallback, useEffect, useReducer } from "react";
import { unwrap } from "../api/client";
import { toApiError } from "../api/errors";
import { useApi } from "../auth/AuthContext";
import { followReducer, isActive, type Run } from "./progress";
import { readEventStream } from "./sse";

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
      let refreshed = false;
      while (!signal.aborted) {
        dispatch({ type: "connecting" });
        let ended = false;
        try {
          const end = await readEventStream(
            `/api/pipelines/${runId}/events`,
            api.session.accessToken,
            (e) => {
              if (e.event !== "progress" && e.event !== "end") return;
              const next = JSON.parse(e.data) as Run;
              dispatch({ type: e.event, run: next });
              if (e.event === "end") ended = true;
              delay = FIRST_RETRY_MS;
              refreshed = false;
            },
            signal,
          );
          if (ended) return;
          if (end.kind === "refused") {
            if (end.status === 401 && !refreshed) {
              refreshed = true;
              if (await api.refresh()) continue;
            }
            if (end.status < 500 && end.status !== 408 && end.status !== 429) {
              dispatch({ type: "failed", message: toApiError(end.status, end.body).message });
              return;
            }
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
