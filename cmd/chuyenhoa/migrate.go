package main

import (
	"context"
	"fmt"
	"io"

	"chuyenhoa/cmd/chuyenhoa/config"
	"chuyenhoa/store"
)

func migrateCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: chuyenhoa migrate up|down|status")
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "up":
		g, err := store.Migrate(ctx, db)
		if err != nil {
			return err
		}
		if g.IsZero() {
			fmt.Fprintln(stdout, "nothing to migrate")
			return nil
		}
		fmt.Fprintf(stdout, "migrated to %s\n", g)
	case "down":
		g, err := store.Rollback(ctx, db)
		if err != nil {
			return err
		}
		if g.IsZero() {
			fmt.Fprintln(stdout, "nothing to roll back")
			return nil
		}
		fmt.Fprintf(stdout, "rolled back %s\n", g)
	case "status":
		applied, pending, err := store.Status(ctx, db)
		if err != nil {
			return err
		}
		for _, m := range applied {
			fmt.Fprintf(stdout, "applied  %s (group %d, %s)\n", m, m.GroupID, m.MigratedAt.Format("2006-01-02 15:04:05"))
		}
		for _, m := range pending {
			fmt.Fprintf(stdout, "pending  %s\n", m)
		}
		fmt.Fprintf(stdout, "%d applied, %d pending\n", len(applied), len(pending))
	default:
		return fmt.Errorf("usage: chuyenhoa migrate up|down|status")
	}
	return nil
}
