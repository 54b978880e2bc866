package eager

import (
	"context"
	"time"
)

// A new context that is no child of the first: its cancel function is never called.
func freshContext(ctx context.Context, check func(context.Context, context.CancelFunc) error) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel() // want `defer cancel\(\) calls the function cancel holds at the defer statement on line 11; cancel is reassigned on line 12`
	ctx, cancel = context.WithCancel(context.Background())
	return check(ctx, cancel)
}
