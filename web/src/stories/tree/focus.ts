import { createContext, useContext } from "react";

/** FocusRequest asks the row of a moved chapter or scene to take the focus back once it is in its new place. */
export interface FocusRequest {
  id: string;
  control: "up" | "down" | "actions";
  /** Where the row was when it was asked to move; it takes the focus once it is somewhere else. */
  from: string;
}

export interface FocusContextValue {
  request: FocusRequest | null;
  ask: (r: FocusRequest) => void;
  done: () => void;
}

export const FocusContext = createContext<FocusContextValue>({ request: null, ask: () => {}, done: () => {} });

export const useFocusRequest = () => useContext(FocusContext);
