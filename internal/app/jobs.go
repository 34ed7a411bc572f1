package app

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/authorworks/authorworks/internal/exports"
	"github.com/authorworks/authorworks/internal/generation"
	"github.com/authorworks/authorworks/internal/jobs"
)

// pipelineStep is the durable job that does one step of a long-form pipeline run
// and schedules the next. One job per step keeps every job short, so a restart
// loses at most the step in flight, which is redone (steps are idempotent).
type pipelineStep struct {
	RunID string `json:"run_id"`
}

func (pipelineStep) Kind() string { return "pipeline_step" }

type pipelineWorker struct {
	river.WorkerDefaults[pipelineStep]
	gen *generation.Service
}

// Timeout bounds one step: a long scene draft on a slow model, with retries.
func (pipelineWorker) Timeout(*river.Job[pipelineStep]) time.Duration { return 30 * time.Minute }

func (w pipelineWorker) Work(ctx context.Context, job *river.Job[pipelineStep]) error {
	more, err := w.gen.RunStep(ctx, job.Args.RunID)
	if err != nil {
		return err
	}
	if more {
		return w.gen.ScheduleNext(context.WithoutCancel(ctx), job.Args.RunID)
	}
	return nil
}

// stepQueue lets the generation service schedule pipeline steps on the queue.
type stepQueue struct{ q *jobs.Queue }

var _ generation.Enqueuer = stepQueue{}

func (s stepQueue) EnqueueStep(ctx context.Context, runID string) (int64, error) {
	return s.q.Insert(ctx, pipelineStep{RunID: runID}, &river.InsertOpts{MaxAttempts: 5})
}

func (s stepQueue) CancelJob(ctx context.Context, jobID int64) error { return s.q.Cancel(ctx, jobID) }

// exportJob is the durable job that makes one export.
type exportJob struct {
	ExportID string `json:"export_id"`
}

func (exportJob) Kind() string { return "export" }

type exportWorker struct {
	river.WorkerDefaults[exportJob]
	exports *exports.Service
}

// Timeout bounds one export: a print PDF of a very long book under load.
func (exportWorker) Timeout(*river.Job[exportJob]) time.Duration { return 15 * time.Minute }

func (w exportWorker) Work(ctx context.Context, job *river.Job[exportJob]) error {
	return w.exports.Run(ctx, job.Args.ExportID)
}

// exportQueue lets the export service schedule its jobs.
type exportQueue struct{ q *jobs.Queue }

var _ exports.Enqueuer = exportQueue{}

func (e exportQueue) EnqueueExport(ctx context.Context, exportID string) (int64, error) {
	return e.q.Insert(ctx, exportJob{ExportID: exportID}, &river.InsertOpts{MaxAttempts: 3})
}
