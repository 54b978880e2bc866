package syncx

import (
	"context"
	"errors"
	"testing"
)

func TestMapKeepsOrder(t *testing.T) {
	in := []int{5, 3, 9, 1}
	out, err := Map(context.Background(), in, 3, func(_ context.Context, v int) (int, error) {
		return v * v, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range in {
		if out[i] != v*v {
			t.Errorf("out[%d] = %d", i, out[i])
		}
	}
}

func TestFirstError(t *testing.T) {
	bad := errors.New("bad")
	err := FirstError(context.Background(),
		func() error { return nil },
		func() error { return bad },
	)
	if !errors.Is(err, bad) {
		t.Errorf("FirstError = %v", err)
	}
}
