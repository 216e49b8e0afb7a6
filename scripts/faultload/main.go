// Command faultload is the light load generator of scripts/fault-test: it
// signs in as the platform admin of a running server (loopback only), sends
// reads and unit creations at a fixed small rate, classifies every answer
// (status, Retry-After, connection refused) by phase, and afterwards checks
// that every acknowledged write is still there.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8391", "server base URL (loopback only)")
	password := flag.String("password", "", "the admin's password")
	duration := flag.Duration("duration", 20*time.Second, "how long to send")
	rate := flag.Int("rate", 10, "requests per second of each kind (reads, writes)")
	writes := flag.Bool("writes", true, "also create units")
	termPID := flag.Int("term-pid", 0, "send SIGTERM to this process after -term-after")
	termAfter := flag.Duration("term-after", 2*time.Second, "when to send SIGTERM")
	drain := flag.Duration("drain", 5*time.Second, "the server's CHUYENHOA_DRAIN (to split the SIGTERM report)")
	marks := flag.String("marks", "", "file whose lines are unix times (seconds, fractional) of fault events, read at the end to split the report")
	verify := flag.Bool("verify", true, "read back every acknowledged write at the end")
	ackedFile := flag.String("acked", "", "write the acknowledged writes (id code per line) to this file")
	verifyOnly := flag.String("verify-only", "", "only read back the writes listed in this file (from -acked)")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil || !isLoopback(u.Hostname()) {
		fail("-url must be a loopback http URL")
	}
	l := &loader{base: *base, client: &http.Client{Timeout: 40 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}}
	l.login(*password)
	if *verifyOnly != "" {
		l.readAcked(*verifyOnly)
		l.verify()
		return
	}
	l.setup()

	start := time.Now()
	var termAt time.Time
	if *termPID > 0 {
		go func() {
			time.Sleep(*termAfter)
			termAt = time.Now()
			syscall.Kill(*termPID, syscall.SIGTERM)
		}()
	}
	var wg sync.WaitGroup
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	for i := 0; time.Since(start) < *duration; i++ {
		<-tick.C
		wg.Add(1)
		go func() { defer wg.Done(); l.read() }()
		if *writes {
			wg.Add(1)
			go func() { defer wg.Done(); l.write(i) }()
		}
		if *termPID > 0 {
			wg.Add(1)
			go func() { defer wg.Done(); l.ready() }()
		}
	}
	wg.Wait()

	var cuts []time.Time
	if !termAt.IsZero() {
		cuts = []time.Time{termAt, termAt.Add(*drain)}
	}
	if *marks != "" {
		cuts = append(cuts, readMarks(*marks)...)
	}
	l.report(start, cuts)
	if *ackedFile != "" {
		l.writeAcked(*ackedFile)
	}
	if *writes && *verify {
		l.verify()
	} else if *writes {
		fmt.Printf("acknowledged writes: %d (read back later)\n", len(l.acked))
	}
}

func (l *loader) writeAcked(path string) {
	var b bytes.Buffer
	for id, code := range l.acked {
		fmt.Fprintf(&b, "%d %s\n", id, code)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		fail("%v", err)
	}
}

func (l *loader) readAcked(path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	f := bytes.Fields(b)
	for i := 0; i+1 < len(f); i += 2 {
		id, _ := strconv.ParseInt(string(f[i]), 10, 64)
		l.acked[id] = string(f[i+1])
	}
}

type outcome struct {
	at    time.Time
	kind  string // read, write, readyz
	class string // 200, 201, 503+retry, 503-noretry, refused, error …
}

type loader struct {
	base   string
	client *http.Client
	token  string
	mu     sync.Mutex
	out    []outcome
	acked  map[int64]string // id → code of acknowledged writes
}

func (l *loader) login(password string) {
	b, _ := json.Marshal(map[string]string{"username": "admin", "password": password})
	res, err := l.client.Post(l.base+"/api/v1/auth/login", "application/json", bytes.NewReader(b))
	if err != nil {
		fail("login: %v", err)
	}
	defer res.Body.Close()
	var r struct{ Token string }
	json.NewDecoder(res.Body).Decode(&r)
	if res.StatusCode != http.StatusOK || r.Token == "" {
		fail("login: %d", res.StatusCode)
	}
	l.token = r.Token
	l.acked = map[int64]string{}
}

// setup creates the province and district the wards go under (again on a
// second run: 409 is fine).
func (l *loader) setup() {
	for _, u := range []string{
		`{"code":"01","name":"Thành phố Hà Nội","kind":"province"}`,
		`{"code":"001","name":"Quận Ba Đình","kind":"district","parent_code":"01"}`,
	} {
		status, _, _, err := l.do("POST", "/api/v1/units", u)
		if err != nil || status != http.StatusCreated && status != http.StatusConflict {
			fail("setup %s: %d %v", u, status, err)
		}
	}
}

func (l *loader) do(method, path, body string) (int, http.Header, []byte, error) {
	var r io.Reader
	if body != "" {
		r = bytes.NewReader([]byte(body))
	}
	req, _ := http.NewRequest(method, l.base+path, r)
	req.Header.Set("Authorization", "Bearer "+l.token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := l.client.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b, nil
}

func classify(status int, h http.Header, body []byte, err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "reset"
	case err != nil:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return "client-timeout"
		}
		return "error"
	case status == http.StatusServiceUnavailable:
		var e struct{ Error struct{ Code string } }
		json.Unmarshal(body, &e)
		if h.Get("Retry-After") != "" && e.Error.Code == "unavailable" {
			return "503-unavailable+Retry-After"
		}
		if e.Error.Code == "" {
			return "503-not-the-error-shape"
		}
		return "503-" + e.Error.Code + "-without-Retry-After"
	}
	return strconv.Itoa(status)
}

func (l *loader) record(kind, class string) {
	l.mu.Lock()
	l.out = append(l.out, outcome{at: time.Now(), kind: kind, class: class})
	l.mu.Unlock()
}

func (l *loader) read() {
	status, h, b, err := l.do("GET", "/api/v1/units?limit=20", "")
	l.record("read", classify(status, h, b, err))
}

func (l *loader) ready() {
	res, err := l.client.Get(l.base + "/readyz")
	class := classify(0, nil, nil, err)
	if err == nil {
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var r struct{ Status string }
		json.Unmarshal(b, &r)
		class = strconv.Itoa(res.StatusCode) + "-" + r.Status
	}
	l.record("readyz", class)
}

func (l *loader) write(i int) {
	code := fmt.Sprintf("9%04d%d", i, time.Now().UnixNano()%100000)
	status, h, b, err := l.do("POST", "/api/v1/units", fmt.Sprintf(`{"code":%q,"name":"Phường Thử %d","kind":"ward","parent_code":"001"}`, code, i))
	class := classify(status, h, b, err)
	if status == http.StatusCreated {
		var u struct{ ID int64 }
		json.Unmarshal(b, &u)
		l.mu.Lock()
		l.acked[u.ID] = code
		l.mu.Unlock()
	}
	l.record("write", class)
}

// report prints, per phase (cut at the times in cuts), how many answers of
// each kind fell in each class.
func (l *loader) report(start time.Time, cuts []time.Time) {
	sort.Slice(cuts, func(i, j int) bool { return cuts[i].Before(cuts[j]) })
	phase := func(t time.Time) int {
		n := 0
		for _, c := range cuts {
			if t.After(c) {
				n++
			}
		}
		return n
	}
	type key struct {
		phase       int
		kind, class string
	}
	counts := map[key]int{}
	for _, o := range l.out {
		counts[key{phase(o.at), o.kind, o.class}]++
	}
	keys := make([]key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.phase != b.phase {
			return a.phase < b.phase
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.class < b.class
	})
	last := -1
	for _, k := range keys {
		if k.phase != last {
			from := "start"
			if k.phase > 0 {
				from = fmt.Sprintf("+%.1fs", cuts[k.phase-1].Sub(start).Seconds())
			}
			fmt.Printf("phase %d (from %s):\n", k.phase, from)
			last = k.phase
		}
		fmt.Printf("  %-7s %-32s %5d\n", k.kind, k.class, counts[k])
	}
}

// verify reads back every acknowledged write.
func (l *loader) verify() {
	lost := 0
	for id, code := range l.acked {
		status, _, b, err := l.do("GET", "/api/v1/units/"+strconv.FormatInt(id, 10), "")
		if err != nil || status != http.StatusOK || !bytes.Contains(b, []byte(code)) {
			lost++
			fmt.Printf("  LOST: unit %d (%s): %d %v\n", id, code, status, err)
		}
	}
	fmt.Printf("acknowledged writes: %d, read back: %d, lost: %d\n", len(l.acked), len(l.acked)-lost, lost)
	if lost > 0 {
		os.Exit(1)
	}
}

func readMarks(path string) []time.Time {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []time.Time
	for _, line := range bytes.Fields(b) {
		f, err := strconv.ParseFloat(string(line), 64)
		if err == nil {
			out = append(out, time.Unix(0, int64(f*1e9)))
		}
	}
	return out
}

func isLoopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "faultload: "+format+"\n", args...)
	os.Exit(2)
}
