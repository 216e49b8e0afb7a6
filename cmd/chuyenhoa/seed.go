package main

import (
	"context"
	"fmt"
	"io"
)

// seedCmd loads data: the demo province of the seed plan, or a synthetic
// national data set for benchmarks.
func seedCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("usage: chuyenhoa seed demo | chuyenhoa seed synthetic [flags]")
	}
	switch args[0] {
	case "demo":
		return seedDemo(ctx, args[1:], getenv, stdout, stderr)
	case "synthetic":
		return seedSynthetic(ctx, args[1:], getenv, stdout, stderr)
	}
	return fmt.Errorf("usage: chuyenhoa seed demo | chuyenhoa seed synthetic [flags]")
}
