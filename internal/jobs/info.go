package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// State is where a job is in its life.
type State string

// The states. A job waits as available, scheduled, retryable or pending, runs as
// running, and ends completed, cancelled or discarded (out of attempts).
const (
	StateAvailable State = State(rivertype.JobStateAvailable)
	StateScheduled State = State(rivertype.JobStateScheduled)
	StatePending   State = State(rivertype.JobStatePending)
	StateRunning   State = State(rivertype.JobStateRunning)
	StateRetryable State = State(rivertype.JobStateRetryable)
	StateCompleted State = State(rivertype.JobStateCompleted)
	StateCancelled State = State(rivertype.JobStateCancelled)
	StateDiscarded State = State(rivertype.JobStateDiscarded)
)

// Finished reports whether s is final: the job will not run again by itself.
func (s State) Finished() bool {
	return s == StateCompleted || s == StateCancelled || s == StateDiscarded
}

// Info is a snapshot of one job.
type Info struct {
	ID    int64
	Kind  string
	Queue string
	State State
	// Attempt counts the attempts begun so far.
	Attempt     int
	MaxAttempts int
	// Errors holds one entry per failed attempt, oldest first.
	Errors []AttemptError
	// CreatedAt is when the job was inserted; ScheduledAt when it may run next.
	CreatedAt   time.Time
	ScheduledAt time.Time
	// AttemptedAt is when the latest attempt began (zero if none has).
	AttemptedAt time.Time
	// FinishedAt is when the job reached a final state (zero until then).
	FinishedAt time.Time
}

// AttemptError is the failure of one attempt.
type AttemptError struct {
	At      time.Time
	Attempt int
	Error   string
}

// Job returns the state of job id. A finished job can be read until River
// deletes it (see the package comment); after that, and for an id that never
// existed, the error is of kind errs.NotFound.
func (q *Queue) Job(ctx context.Context, id int64) (*Info, error) {
	row, err := q.client.JobGet(ctx, id)
	if err != nil {
		return nil, jobError("get", id, err)
	}
	return infoOf(row), nil
}

func infoOf(row *rivertype.JobRow) *Info {
	in := &Info{
		ID:          row.ID,
		Kind:        row.Kind,
		Queue:       row.Queue,
		State:       State(row.State),
		Attempt:     row.Attempt,
		MaxAttempts: row.MaxAttempts,
		CreatedAt:   row.CreatedAt.UTC(),
		ScheduledAt: row.ScheduledAt.UTC(),
	}
	if row.AttemptedAt != nil {
		in.AttemptedAt = row.AttemptedAt.UTC()
	}
	if row.FinalizedAt != nil {
		in.FinishedAt = row.FinalizedAt.UTC()
	}
	for _, e := range row.Errors {
		in.Errors = append(in.Errors, AttemptError{At: e.At.UTC(), Attempt: e.Attempt, Error: e.Error})
	}
	return in
}
