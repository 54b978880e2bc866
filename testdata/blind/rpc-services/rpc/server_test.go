package rpc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"
)

var testURL string

type echoReq struct {
	Text   string `json:"text"`
	Repeat int    `json:"repeat"`
}

type echoReply struct {
	Text string `json:"text"`
}

func newEchoServer() *Server {
	s := NewServer()
	s.RegisterUnary("test.Echo", UnaryMethod{
		Name:       "Say",
		NewRequest: func() any { return new(echoReq) },
		Handler: func(ctx context.Context, req any) (any, error) {
			r := req.(*echoReq)
			if r.Text == "" {
				return nil, Errorf(InvalidArgument, "empty text")
			}
			md, _ := IncomingFromContext(ctx)
			return &echoReply{Text: r.Text + md.Get("x-suffix")}, nil
		},
	})
	s.RegisterStream("test.Echo", StreamMethod{
		Name:       "Repeat",
		NewRequest: func() any { return new(echoReq) },
		Handler: func(ctx context.Context, req any, ss *ServerStream) error {
			r := req.(*echoReq)
			for i := range r.Repeat {
				if err := ss.Send(&echoReply{Text: fmt.Sprintf("%s-%d", r.Text, i)}); err != nil {
					return err
				}
			}
			return nil
		},
	})
	return s
}

func TestMain(m *testing.M) {
	srv := httptest.NewServer(newEchoServer())
	defer srv.Close()
	testURL = srv.URL
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func dialTest(t *testing.T, opts ...ClientOption) *Client {
	t.Helper()
	c, err := Dial(testURL, opts...)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	return c
}

func TestUnaryEcho(t *testing.T) {
	c := dialTest(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ctx = AppendToOutgoing(ctx, "x-suffix", "!")
	var reply echoReply
	if err := c.Invoke(ctx, "/test.Echo/Say", &echoReq{Text: "hi"}, &reply); err != nil {
		t.Fatalf("invoke: %v", err)
	}
	if reply.Text != "hi!" {
		t.Fatalf("got %q, want %q", reply.Text, "hi!")
	}
}

func TestUnaryInvalidArgument(t *testing.T) {
	c := dialTest(t)
	var reply echoReply
	err := c.Invoke(context.Background(), "/test.Echo/Say", &echoReq{}, &reply)
	if got := CodeOf(err); got != InvalidArgument {
		t.Fatalf("code = %v, want %v (err %v)", got, InvalidArgument, err)
	}
}

func TestUnknownMethod(t *testing.T) {
	c := dialTest(t)
	err := c.Invoke(context.Background(), "/test.Echo/Nope", &echoReq{Text: "x"}, new(echoReply))
	if got := CodeOf(err); got != Unimplemented {
		t.Fatalf("code = %v, want %v", got, Unimplemented)
	}
}

func TestStreamRepeat(t *testing.T) {
	c := dialTest(t)
	got, err := Collect[echoReply](context.Background(), c, "/test.Echo/Repeat", &echoReq{Text: "r", Repeat: 3})
	if err != nil {
		t.Fatalf("collect: %v", err)
	}
	if len(got) != 3 || got[2].Text != "r-2" {
		t.Fatalf("unexpected stream: %+v", got)
	}
}

func TestServeHTTPRejectsGet(t *testing.T) {
	rec := httptest.NewRecorder()
	newEchoServer().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/test.Echo/Say", nil))
	if rec.Code != http.StatusNotImplemented {
		t.Fatalf("status = %d", rec.Code)
	}
}

func TestStatusOf(t *testing.T) {
	cases := map[error]Code{
		nil:                                      OK,
		context.DeadlineExceeded:                 DeadlineExceeded,
		fmt.Errorf("wrap: %w", context.Canceled): Canceled,
		Errorf(NotFound, "x"):                    NotFound,
		errors.New("boom"):                       Unknown,
	}
	for err, want := range cases {
		if got := CodeOf(err); got != want {
			t.Errorf("CodeOf(%v) = %v, want %v", err, got, want)
		}
	}
}

func TestMetadataHeaderRoundTrip(t *testing.T) {
	md := NewMD("X-Request-Id", "abc", "x-tenant", "t1")
	h := http.Header{}
	md.ToHeader(h)
	got := MDFromHeader(h)
	if got.Get("x-request-id") != "abc" || got.Get("X-Tenant") != "t1" {
		t.Fatalf("round trip lost values: %v", got)
	}
}
