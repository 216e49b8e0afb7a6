package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"chuyenhoa/api"
	"chuyenhoa/store/storetest"
)

// Every request the API tests send to /api/v1 and every answer pass
// through apiChecker, which validates them against the server's own
// OpenAPI document with kin-openapi, so the document stays true:
//
//   - a request the document accepts must get an answer the document
//     describes (status, content type, body schema);
//   - a request the document refuses (a wrong type, a malformed date, a
//     missing body) must be refused by the server too (4xx);
//   - a path the document lacks is a problem unless the server answers
//     404 or 405 as well.
//
// The problems fail the test that sent the requests when it ends.

// openAPIDoc is the document of one server, loaded and validated by
// kin-openapi, with its router.
type openAPIDoc struct {
	doc    *openapi3.T
	router routers.Router
}

var (
	docOnce  sync.Once
	docValue *openAPIDoc
	docErr   error
)

// loadOpenAPI builds the document once per test binary: every server of
// the tests has the same route table.
func loadOpenAPI(srv *api.Server) (*openAPIDoc, error) {
	docOnce.Do(func() {
		openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.PlainBodyDecoder)
		raw, err := json.Marshal(srv.OpenAPI())
		if err != nil {
			docErr = err
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(raw)
		if err != nil {
			docErr = fmt.Errorf("load: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			docErr = fmt.Errorf("validate: %w", err)
			return
		}
		// Match any host: the tests serve on loopback ports and in process.
		doc.Servers = openapi3.Servers{{URL: "/"}}
		r, err := gorillamux.NewRouter(doc)
		if err != nil {
			docErr = fmt.Errorf("router: %w", err)
			return
		}
		docValue = &openAPIDoc{doc: doc, router: r}
	})
	return docValue, docErr
}

// apiChecker wraps a test server's handler and validates its API traffic.
type apiChecker struct {
	next     http.Handler
	doc      *openAPIDoc
	mu       sync.Mutex
	checked  int
	problems map[string][]string
}

// newAPIChecker wraps next (srv's handler) and fails t, when it ends, with
// every request or answer the document does not describe.
func newAPIChecker(t testing.TB, srv *api.Server, next http.Handler) *apiChecker {
	t.Helper()
	doc, err := loadOpenAPI(srv)
	if err != nil {
		t.Fatalf("OpenAPI document: %v", err)
	}
	c := &apiChecker{next: next, doc: doc, problems: map[string][]string{}}
	t.Cleanup(func() { c.verify(t) })
	return c
}

func (c *apiChecker) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/api/v1/") {
		c.next.ServeHTTP(w, r)
		return
	}
	var reqBody []byte
	if r.Body != nil {
		reqBody, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	// The validator reads a copy, so the server gets the request untouched.
	vr := r.Clone(r.Context())
	vr.Body = io.NopCloser(bytes.NewReader(reqBody))
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
	c.check(vr, rec)
}

func (c *apiChecker) check(r *http.Request, rec *httptest.ResponseRecorder) {
	key := fmt.Sprintf("%s %s (%d)", r.Method, r.URL.Path, rec.Code)
	var problems []string
	defer func() { c.report(key, problems) }()
	route, params, err := c.doc.router.FindRoute(r)
	if err != nil {
		if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
			problems = append(problems, "not in the document ("+err.Error()+") but answered")
		}
		return
	}
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		if rec.Code < 400 || rec.Code >= 500 {
			problems = append(problems, "the document refuses the request but the server answered it: "+oneLine(err))
		}
		return
	}
	ct := rec.Header().Get("Content-Type")
	ropts := *opts
	ropts.IncludeResponseStatus = true
	if !strings.HasPrefix(ct, "application/json") {
		ropts.ExcludeResponseBody = true
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: &ropts}
	if rec.Code == http.StatusNoContent || rec.Body.Len() == 0 {
		return
	}
	if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
		problems = append(problems, "the answer differs from the document: "+oneLine(err))
	}
}

func oneLine(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if len(s) > 600 {
		s = s[:600] + "…"
	}
	return s
}

func (c *apiChecker) report(key string, problems []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checked++
	if len(problems) > 0 && len(c.problems[key]) == 0 {
		c.problems[key] = problems
	}
}

// verify fails t with every problem found.
func (c *apiChecker) verify(t testing.TB) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	t.Logf("OpenAPI check: %d API answers, %d with problems", c.checked, len(c.problems))
	failProblems(t, "OpenAPI check of", c.problems)
}

// TestOpenAPIDocumentIsValid loads the document with kin-openapi and checks
// the schema of a date, which once described domain.Date as an object.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	s := newTestServer(t, storetest.MustSQLite(t))
	d, err := loadOpenAPI(s.Srv)
	if err != nil {
		t.Fatal(err)
	}
	cal := d.doc.Components.Schemas["NewCampaign"]
	if cal == nil {
		t.Fatal("no NewCampaign schema")
	}
	var dates []string
	var walk func(name string, s *openapi3.SchemaRef, depth int)
	walk = func(name string, s *openapi3.SchemaRef, depth int) {
		if s == nil || s.Value == nil || depth > 6 {
			return
		}
		if s.Value.Format == "date" {
			if !s.Value.Type.Is("string") {
				t.Errorf("%s: a date of type %v", name, s.Value.Type)
			}
			dates = append(dates, name)
		}
		for k, p := range s.Value.Properties {
			walk(name+"."+k, p, depth+1)
		}
		if s.Value.Items != nil {
			walk(name+"[]", s.Value.Items, depth+1)
		}
	}
	walk("NewCampaign", cal, 0)
	if len(dates) == 0 {
		t.Errorf("NewCampaign has no date field")
	}
	t.Logf("dates of NewCampaign: %v", dates)
}
