package identity

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"github.com/trustelem/zxcvbn/match"
	"golang.org/x/crypto/argon2"

	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// Params are argon2id cost parameters. The defaults are OWASP's current
// minimum for argon2id: m = 19 MiB, t = 2, p = 1.
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// DefaultParams is OWASP's minimum recommendation.
var DefaultParams = Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Hasher hashes and verifies passwords with argon2id. At most Concurrency
// hashes run at once so that a flood of logins queues instead of
// allocating 19 MiB per request until memory runs out.
type Hasher struct {
	params Params
	sem    chan struct{}
	dummy  string
}

// NewHasher returns a hasher; concurrency ≤ 0 means the number of CPUs.
func NewHasher(p Params, concurrency int) *Hasher {
	if concurrency <= 0 {
		concurrency = runtime.NumCPU()
	}
	h := &Hasher{params: p, sem: make(chan struct{}, concurrency)}
	h.dummy, _ = h.hash(context.Background(), "dummy password for timing equality")
	return h
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return domain.Errorf(domain.ETOOMANY, "Máy chủ đang bận, vui lòng thử lại")
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns the PHC-format argon2id hash of password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	return h.hash(ctx, password)
}

func (h *Hasher) hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.params.Time, h.params.MemoryKiB, h.params.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.params.MemoryKiB, h.params.Time, h.params.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches the encoded hash. An empty hash
// is verified against a dummy so that an unknown user costs the same time
// as a wrong password.
func (h *Hasher) Verify(ctx context.Context, encoded, password string) (bool, error) {
	if encoded == "" {
		encoded = h.dummy
		password += "\x00never"
	}
	var version int
	var p Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("identity: unknown hash format")
	}
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil {
		return false, err
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, err
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// minPasswordGuesses is the least number of guesses the strength estimate
// must give a password: what eight characters of no known pattern get
// (10^8). Below it are passwords that an attacker's word lists, keyboard
// walks, repetitions, dates and the product's own words reach first.
const minPasswordGuesses = 1e8

// productWords are the words an attacker tries first against this
// service: its name, the programme and its vocabulary.
var productWords = []string{
	"chuyenhoa", "chuyen hoa", "chuyển hóa", "chuyển hoá", "chuyen", "hoa",
	"dia ban", "địa bàn", "trong diem", "trọng điểm", "ttatxh", "bcd", "ban chi dao", "ban chỉ đạo",
	"cong an", "công an", "congan", "matkhau", "mật khẩu", "mat", "khau", "viet nam", "vietnam", "việt nam",
}

// ValidatePassword applies the password rules (NIST SP 800-63B): 8–128
// characters, not one of the most common passwords, not the username, and
// hard enough to guess by zxcvbn's estimate, which counts the username,
// the product's name and the words of inputs (the person's name, its unit
// and province) as the first words an attacker tries. The message names
// the field, in Vietnamese.
func ValidatePassword(username, password string, inputs ...string) string {
	n := utf8.RuneCountInString(password)
	switch {
	case !utf8.ValidString(password):
		return "Mật khẩu phải là văn bản UTF-8"
	case n < 8:
		return "Mật khẩu phải có ít nhất 8 ký tự"
	case n > 128:
		return "Mật khẩu không được dài quá 128 ký tự"
	}
	if strings.TrimSpace(password) == "" {
		return "Mật khẩu không được chỉ gồm khoảng trắng"
	}
	folded := tenants.Fold(password)
	if commonPasswords[folded] || commonPasswords[strings.ReplaceAll(folded, " ", "")] {
		return "Mật khẩu quá phổ biến, hãy chọn mật khẩu khác"
	}
	if strings.EqualFold(strings.TrimSpace(password), username) || folded == tenants.Fold(username) {
		return "Mật khẩu không được trùng tên đăng nhập"
	}
	words := passwordWords(append([]string{username}, inputs...))
	weakest := zxcvbn.PasswordStrength(password, words)
	if f := zxcvbn.PasswordStrength(folded, words); f.Guesses < weakest.Guesses {
		weakest = f
	}
	if weakest.Guesses < minPasswordGuesses {
		return "Mật khẩu quá dễ đoán" + weakReason(weakest.Sequence) + "; hãy dùng một cụm vài từ không liên quan đến nhau"
	}
	return ""
}

// passwordWords lists the user inputs of the estimate: the product words,
// then each input as typed, folded (no diacritics), without spaces, and
// word by word and two adjacent words joined.
func passwordWords(inputs []string) []string {
	out := slices.Clone(productWords)
	seen := map[string]bool{}
	add := func(w string) {
		w = strings.ToLower(strings.TrimSpace(w))
		if utf8.RuneCountInString(w) >= 2 && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, in := range inputs {
		for _, v := range []string{in, tenants.Fold(in)} {
			add(v)
			add(strings.ReplaceAll(v, " ", ""))
			ws := strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
			for i, w := range ws {
				add(w)
				if i > 0 {
					add(ws[i-1] + w) // "Bắc Giang" → "bacgiang"
				}
			}
		}
	}
	return out
}

// weakReason says, for the message, what made the estimate low.
func weakReason(seq []*match.Match) string {
	var why []string
	say := func(s string) {
		if !slices.Contains(why, s) {
			why = append(why, s)
		}
	}
	for _, m := range seq {
		switch m.Pattern {
		case "dictionary":
			if m.DictionaryName == "user_inputs" {
				say("có tên đăng nhập, họ tên, tên đơn vị hoặc tên phần mềm")
			} else {
				say("có từ hoặc mật khẩu phổ biến")
			}
		case "spatial":
			say("có dãy phím liền nhau")
		case "repeat":
			say("có ký tự lặp lại")
		case "sequence":
			say("có dãy ký tự liên tiếp")
		case "regex", "date":
			say("có năm hoặc ngày tháng")
		}
	}
	if len(why) == 0 {
		return ""
	}
	return " (" + strings.Join(why, ", ") + ")"
}
