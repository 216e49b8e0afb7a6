package api

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// TestTimeoutIsUnavailable: the 503 of Echo's ContextTimeout (a request
// that ran out of time, the database being stuck) stays 503 unavailable
// with Retry-After; it used to be rewritten to 500.
func TestTimeoutIsUnavailable(t *testing.T) {
	s := New(Options{})
	for name, err := range map[string]error{
		"ContextTimeout's 503": echo.ErrServiceUnavailable.WithInternal(context.DeadlineExceeded),
		"deadline exceeded":    fmt.Errorf("select units: %w", context.DeadlineExceeded),
		"connection refused":   fmt.Errorf("failed: %w", errors.Join(errors.New("dial tcp 127.0.0.1:5"), &netErr{})),
	} {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			c := s.Echo.NewContext(httptest.NewRequest("GET", "/api/v1/units", nil), rec)
			s.handleError(err, c)
			if rec.Code != http.StatusServiceUnavailable {
				t.Errorf("status = %d, want 503: %s", rec.Code, rec.Body)
			}
			if !bytes.Contains(rec.Body.Bytes(), []byte(`"code":"unavailable"`)) {
				t.Errorf("body %s lacks code unavailable", rec.Body)
			}
			if rec.Header().Get("Retry-After") == "" {
				t.Errorf("no Retry-After")
			}
		})
	}
	t.Run("ContextTimeout end to end", func(t *testing.T) {
		e := echo.New()
		e.HTTPErrorHandler = s.handleError
		e.Use(middleware.ContextTimeout(20 * time.Millisecond))
		e.GET("/slow", func(c echo.Context) error {
			<-c.Request().Context().Done()
			return fmt.Errorf("query: %w", c.Request().Context().Err())
		})
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest("GET", "/slow", nil))
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("timed-out request = %d (Retry-After %q), want 503 with Retry-After", rec.Code, rec.Header().Get("Retry-After"))
		}
	})
}

// netErr is a net.Error, as a failed dial returns.
type netErr struct{}

func (*netErr) Error() string   { return "connect: connection refused" }
func (*netErr) Timeout() bool   { return false }
func (*netErr) Temporary() bool { return false }

// TestUploadStreamedToDisk: on an upload route the multipart file past a
// small memory budget is a temporary file, not a 20 MB buffer.
func TestUploadStreamedToDisk(t *testing.T) {
	s := New(Options{})
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "a.pdf")
	fw.Write(bytes.Repeat([]byte("x"), 3<<20))
	mw.Close()
	for _, tc := range []struct {
		path   string
		onDisk bool
	}{{"/api/v1/attachments", true}, {"/tasks/:id/attachments", true}} {
		req := httptest.NewRequest("POST", "/x", bytes.NewReader(buf.Bytes()))
		req.Header.Set("Content-Type", mw.FormDataContentType())
		c := s.Echo.NewContext(req, httptest.NewRecorder())
		c.SetPath(tc.path)
		var onDisk bool
		err := s.bodyLimit()(func(c echo.Context) error {
			fh, err := c.FormFile("file")
			if err != nil {
				return err
			}
			f, err := fh.Open()
			if err != nil {
				return err
			}
			defer f.Close()
			_, onDisk = f.(*os.File)
			return nil
		})(c)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		if onDisk != tc.onDisk {
			t.Errorf("%s: file on disk = %v, want %v", tc.path, onDisk, tc.onDisk)
		}
		req.MultipartForm.RemoveAll()
	}
}
