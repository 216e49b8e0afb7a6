package main

import (
	"context"
	"fmt"
	"io"
)

// seedDemo loads the demo province (issue 4).
func seedDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return fmt.Errorf("seed demo: not built yet")
}
