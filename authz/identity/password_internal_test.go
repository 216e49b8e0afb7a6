package identity

import (
	"context"
	"testing"
	"time"

	"chuyenhoa/domain"
)

func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(Params{MemoryKiB: 64, Time: 1, Threads: 1}, 2)
	// Fill every slot as two running hashes would.
	h.sem <- struct{}{}
	h.sem <- struct{}{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "một mật khẩu"); domain.ErrorCode(err) != domain.ETOOMANY {
		t.Errorf("third concurrent hash: err = %v, want too_many_requests", err)
	}
	if _, err := h.Verify(ctx, "", "x"); domain.ErrorCode(err) != domain.ETOOMANY {
		t.Errorf("third concurrent verify: err = %v, want too_many_requests", err)
	}
	h.release()
	if _, err := h.Hash(context.Background(), "một mật khẩu"); err != nil {
		t.Errorf("after a slot frees: err = %v", err)
	}
}
