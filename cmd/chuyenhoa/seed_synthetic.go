package main

import (
	"context"
	"fmt"
	"io"
)

// seedSynthetic builds the synthetic national data set (issue 6).
func seedSynthetic(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return fmt.Errorf("seed synthetic: not built yet")
}
