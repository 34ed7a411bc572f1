import { QueryClient } from "@tanstack/react-query";
import { ApiError, OfflineError } from "../api/errors";

/**
 * newQueryClient is the app's one store of server state. Answers the server gave
 * on purpose (4xx) are not retried; a lost connection or an overloaded server is,
 * a few times.
 */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failures, err) => {
          if (err instanceof OfflineError) return failures < 3;
          if (err instanceof ApiError) return err.status >= 500 && failures < 2;
          return false;
        },
      },
      mutations: { retry: false },
    },
  });
}
