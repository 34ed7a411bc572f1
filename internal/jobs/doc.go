// Package jobs owns the durable job queue: work that must happen outside a
// request and survive a restart (AI long-form pipelines now, exports and media
// later). It runs River (github.com/riverqueue/river) on our own database, with
// the same behaviour on the embedded SQLite file and on PostgreSQL, so a job can
// be inserted in the same transaction as the rows that ask for it.
//
// Wiring, in the order it must happen:
//
//	q, err := jobs.New(ctx, jobs.Config{DB: db, Log: log})
//	jobs.Register(q, &pipeline.ChapterWorker{...}) // every kind, before Start
//	err = q.Start(ctx)
//	defer q.Close()
//	defer q.Stop(shutdownCtx)
//
// A service enqueues inside the transaction that owns its change, so the job
// exists exactly when the change does:
//
//	err := db.InTx(ctx, func(tx *sql.Tx) error {
//		// ... insert the generation row ...
//		_, err := q.InsertTx(ctx, tx, pipeline.ChapterArgs{GenerationID: id}, nil)
//		return err
//	})
//
// A worker is a river.Worker[T]: embed river.WorkerDefaults[T] and implement
// Work. A returned error is retried with backoff until the job's MaxAttempts
// (default 25); the error text of each attempt is kept and shown by Queue.Job.
// Two special returns change that:
//
//   - return river.JobCancel(err) when retrying cannot help (the story was
//     deleted, the input is invalid): the job ends cancelled at once.
//   - return river.JobSnooze(d) to run again after d without using up an
//     attempt, for example when the AI provider rate-limits us.
//
// Workers must return promptly when their context is done: Queue.Cancel and
// Queue.Stop cancel it. A worker can bound one attempt with a Timeout method
// (River's default is one minute, see Register). Jobs report no progress of
// their own; callers keep progress in their own rows.
//
// Finished jobs are kept for a while and then deleted by River: completed and
// cancelled ones for 24 hours, discarded ones (out of attempts) for 7 days.
package jobs
