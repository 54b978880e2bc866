package rpc

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"testing"
	"time"
)

type echoReq struct{ Msg string }

func echoDesc() *ServiceDesc {
	return &ServiceDesc{
		Name: "test.Echo",
		Methods: []MethodDesc{{
			Name: "Say",
			Handler: func(srv any, ctx context.Context, dec func(any) error, ic UnaryServerInterceptor) (any, error) {
				var req echoReq
				if err := dec(&req); err != nil {
					return nil, err
				}
				h := func(ctx context.Context, r any) (any, error) {
					if r.(*echoReq).Msg == "panic" {
						panic("handler bug")
					}
					return r, nil
				}
				if ic == nil {
					return h(ctx, &req)
				}
				return ic(ctx, &req, &UnaryServerInfo{FullMethod: "/test.Echo/Say"}, h)
			},
		}},
	}
}

func startServer(t *testing.T, opts ...ServerOption) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := NewServer(append(opts, WithLogger(log.New(io.Discard, "", 0)))...)
	s.RegisterService(echoDesc(), nil)
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(lis) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := s.GracefulStop(ctx); err != nil {
			t.Errorf("GracefulStop: %v", err)
		}
		if err := <-errc; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return lis.Addr().String()
}

func TestUnaryRoundTrip(t *testing.T) {
	addr := startServer(t)
	cc, err := Dial(addr, WithTimeout(time.Second), WithClientLogger(log.New(io.Discard, "", 0)))
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	var reply echoReq
	if err := cc.InvokeOnce(context.Background(), "/test.Echo/Say", &echoReq{Msg: "hi"}, &reply); err != nil {
		t.Fatal(err)
	}
	if reply.Msg != "hi" {
		t.Fatalf("reply = %q", reply.Msg)
	}
}

func TestRecoveryInterceptorReturnsInternal(t *testing.T) {
	addr := startServer(t, WithUnaryInterceptor(RecoveryInterceptor(log.New(io.Discard, "", 0))))
	cc, err := Dial(addr, WithClientLogger(log.New(io.Discard, "", 0)))
	if err != nil {
		t.Fatal(err)
	}
	var reply echoReq
	err = cc.InvokeOnce(context.Background(), "/test.Echo/Say", &echoReq{Msg: "panic"}, &reply)
	if CodeOf(err) != Internal {
		t.Fatalf("code = %s (%v), want Internal", CodeOf(err), err)
	}
}

func TestChainOrder(t *testing.T) {
	var order []string
	mk := func(name string) UnaryServerInterceptor {
		return func(ctx context.Context, req any, info *UnaryServerInfo, h UnaryHandler) (any, error) {
			order = append(order, name)
			return h(ctx, req)
		}
	}
	chain := ChainUnaryInterceptors(mk("a"), mk("b"), mk("c"))
	_, err := chain(context.Background(), nil, &UnaryServerInfo{}, func(context.Context, any) (any, error) {
		return nil, nil
	})
	if err != nil || len(order) != 3 || order[0] != "a" || order[2] != "c" {
		t.Fatalf("order = %v, err = %v", order, err)
	}
}

func TestCodeOfContextErrors(t *testing.T) {
	cases := map[error]Code{
		nil:                      OK,
		context.Canceled:         Canceled,
		context.DeadlineExceeded: DeadlineExceeded,
		errors.New("x"):          Unknown,
		Errorf(NotFound, "gone"): NotFound,
	}
	for err, want := range cases {
		if got := CodeOf(err); got != want {
			t.Errorf("CodeOf(%v) = %s, want %s", err, got, want)
		}
	}
}

func TestHealthWatch(t *testing.T) {
	h := NewHealthServer()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := h.Watch(ctx, "svc")
	h.SetServingStatus("svc", Serving)
	h.SetServingStatus("svc", NotServing)
	select {
	case st := <-ch:
		if st != NotServing {
			t.Fatalf("latest status = %s", st)
		}
	case <-time.After(time.Second):
		t.Fatal("no update")
	}
}
