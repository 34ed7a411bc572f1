package generation

import (
	"net/http"
	"time"

	"github.com/authorworks/authorworks/internal/httpapi"
)

// progressPoll is how often the progress stream reads a run. Reading the
// database (not an in-process signal) lets any node stream a run that another
// node's worker is doing.
const progressPoll = 500 * time.Millisecond

func (h *Handler) pipelineRoutes(mux httpapi.Mux) {
	auth := httpapi.RequireAuth
	mux.HandleFunc("POST /api/stories/{id}/pipelines", auth(h.startPipeline))
	mux.HandleFunc("GET /api/stories/{id}/pipelines", auth(h.listPipelines))
	mux.HandleFunc("GET /api/pipelines/{id}", auth(h.getPipeline))
	mux.HandleFunc("GET /api/pipelines/{id}/steps", auth(h.pipelineSteps))
	mux.HandleFunc("GET /api/pipelines/{id}/events", auth(h.pipelineEvents))
	for _, action := range []string{"pause", "resume", "cancel"} {
		mux.HandleFunc("POST /api/pipelines/{id}/"+action, auth(func(w http.ResponseWriter, r *http.Request) {
			id, err := httpapi.PathUUID(r, "id")
			if err != nil {
				httpapi.Error(w, r, err)
				return
			}
			run, err := h.svc.ControlPipeline(r.Context(), who(r), id, action)
			if err != nil {
				httpapi.Error(w, r, err)
				return
			}
			httpapi.JSON(w, http.StatusOK, run)
		}))
	}
}

func (h *Handler) startPipeline(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	var in PipelineInput
	if err := httpapi.DecodeOptional(w, r, h.maxBody, &in); err != nil {
		httpapi.Error(w, r, err)
		return
	}
	run, err := h.svc.StartPipeline(r.Context(), who(r), id, in)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/pipelines/"+run.ID)
	httpapi.JSON(w, http.StatusAccepted, run)
}

func (h *Handler) listPipelines(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	runs, err := h.svc.PipelineRuns(r.Context(), who(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, runs)
}

func (h *Handler) getPipeline(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	run, err := h.svc.PipelineRun(r.Context(), who(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, run)
}

func (h *Handler) pipelineSteps(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	steps, err := h.svc.PipelineSteps(r.Context(), who(r), id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	httpapi.JSON(w, http.StatusOK, steps)
}

// pipelineEvents streams a run's progress as server-sent events: a "progress"
// event (the Run) each time it changes, and "end" when it is finished or paused.
func (h *Handler) pipelineEvents(w http.ResponseWriter, r *http.Request) {
	id, err := httpapi.PathUUID(r, "id")
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	p := who(r)
	run, err := h.svc.PipelineRun(r.Context(), p, id)
	if err != nil {
		httpapi.Error(w, r, err)
		return
	}
	sse := httpapi.NewEventStream(w)
	sse.Begin()
	defer sse.Close()
	last := -1
	t := time.NewTicker(progressPoll)
	defer t.Stop()
	for {
		if run.Version != last {
			if sse.Send("progress", run) != nil {
				return
			}
			last = run.Version
		}
		if run.Finished() || run.Status == RunPaused {
			_ = sse.Send("end", run)
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
		if run, err = h.svc.PipelineRun(r.Context(), p, id); err != nil {
			return
		}
	}
}
