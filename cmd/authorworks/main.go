// Command authorworks runs the AuthorWorks platform.
//
//	authorworks serve [flags]    run the platform (all roles on :8080 by default)
//	authorworks migrate [flags]  apply database migrations and exit
//	authorworks version          print the version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/authorworks/authorworks/internal/app"
	"github.com/authorworks/authorworks/internal/config"
	"github.com/authorworks/authorworks/internal/sqldb"
	"github.com/authorworks/authorworks/internal/user"
)

const usage = `usage: authorworks <command> [flags]

commands:
  serve     run the platform (embedded defaults, or the backends configured by env)
  migrate   apply database migrations and exit
  set-role  give an account a role: authorworks set-role <email-or-username> <user|admin>
  version   print the version

Run "authorworks serve -h" for flags; every flag has an environment variable
(see the configuration table in README.md).
`

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "authorworks:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "authorworks", app.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve", "migrate":
	case "set-role":
		if len(rest) < 2 {
			return errors.New("usage: authorworks set-role <email-or-username> <user|admin> [flags]")
		}
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	var positional []string
	if cmd == "set-role" {
		positional, rest = rest[:2], rest[2:]
	}
	cfg, err := config.Load(getenv, rest)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	slog.SetDefault(log)

	if cmd == "migrate" || cmd == "set-role" {
		db, err := sqldb.Open(ctx, sqldb.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir})
		if err != nil {
			return err
		}
		defer db.Close()
		applied, err := db.Migrate(ctx)
		if err != nil {
			return err
		}
		if cmd == "set-role" {
			u, err := user.SetRole(ctx, db, positional[0], positional[1], time.Now().UTC())
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s (%s) is now %s\n", u.Username, u.Email, u.Role)
			return nil
		}
		v, err := db.Version(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: schema version %d (applied %d migration(s) now)\n", db, v, len(applied))
		return nil
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, log, app.Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Listen(); err != nil {
		return err
	}
	return a.Serve(ctx)
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
