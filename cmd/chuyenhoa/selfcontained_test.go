package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// outsidePath matches a reference to the shared folder that lies beside
// the repository on the developers' machines.
var outsidePath = regexp.MustCompile(`\.\./shared|shared/(data|seed)`)

// TestRepositoryIsSelfContained fails when a Go file, a script or the CI
// entry point refers to the shared folder outside the repository: what the
// product and its tests need is embedded (tenants/official, testdata/).
// Documentation may cite where the files came from.
func TestRepositoryIsSelfContained(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("repository root not found at %s: %v", root, err)
	}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel == ".git" || rel == "docs" || rel == "data" || strings.HasPrefix(d.Name(), ".") && rel != ".ci" && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		script := strings.HasPrefix(rel, "scripts"+string(filepath.Separator)) || strings.HasPrefix(rel, ".ci"+string(filepath.Separator)) ||
			strings.HasSuffix(path, ".sh") || rel == "Makefile"
		if !strings.HasSuffix(path, ".go") && !script {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		for i, line := range strings.Split(string(b), "\n") {
			if outsidePath.MatchString(line) {
				t.Errorf("%s:%d refers outside the repository: %s", rel, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Errorf("only %d files checked: the walk missed the repository", checked)
	}
}
