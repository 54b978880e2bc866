package interceptors

import (
	"context"
	"reflect"
	"strconv"
	"time"

	"example.com/rpcservices/rpc"
)

// HedgePolicy configures HedgeClient.
type HedgePolicy struct {
	MaxAttempts int
	Delay       time.Duration
}

// HedgeClient sends the same idempotent call again when the first attempt
// has not answered after Delay, and takes the first success. The result
// channel has one slot per attempt, so the losers never block.
func HedgeClient(p HedgePolicy) rpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, next rpc.Invoker) error {
		if p.MaxAttempts <= 1 {
			return next(ctx, method, req, reply)
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		type result struct {
			reply any
			err   error
		}
		results := make(chan result, p.MaxAttempts)
		launched := 0
		launch := func() {
			r := newLike(reply)
			actx := rpc.AppendToOutgoing(ctx, "rpc-hedge-attempt", strconv.Itoa(launched))
			launched++
			go func() {
				err := next(actx, method, req, r)
				results <- result{reply: r, err: err}
			}()
		}
		launch()
		timer := time.NewTimer(p.Delay)
		defer timer.Stop()
		received := 0
		for {
			select {
			case res := <-results:
				received++
				if res.err == nil {
					copyInto(reply, res.reply)
					return nil
				}
				if !rpc.CodeOf(res.err).Retryable() {
					return res.err
				}
				if launched < p.MaxAttempts {
					launch()
				} else if received == launched {
					return res.err
				}
			case <-timer.C:
				if launched < p.MaxAttempts {
					launch()
					timer.Reset(p.Delay)
				}
			case <-ctx.Done():
				return rpc.StatusOf(ctx.Err())
			}
		}
	}
}

// newLike allocates a fresh value of the type v points to.
func newLike(v any) any {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return v
	}
	return reflect.New(t.Elem()).Interface()
}

func copyInto(dst, src any) {
	dv, sv := reflect.ValueOf(dst), reflect.ValueOf(src)
	if dst == src || dv.Kind() != reflect.Pointer || sv.Kind() != reflect.Pointer || dv.IsNil() || sv.IsNil() {
		return
	}
	dv.Elem().Set(sv.Elem())
}
