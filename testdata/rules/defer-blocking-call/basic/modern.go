package fixture

import (
	"sync"

	echo5 "example.com/deferblocking/echo/v5"
	fiber3 "example.com/deferblocking/fiber/v3"
	"example.com/deferblocking/grpc"
)

var modernWG sync.WaitGroup

// fiber v3 passes its context as an interface value.
func FiberV3Handler(c fiber3.Ctx) error {
	defer modernWG.Wait() // want `\(a fiber handler\) cannot finish the request`
	return c.SendString("ok")
}

// echo v5 passes its context as a pointer.
func EchoV5Handler(c *echo5.Context) error {
	defer modernWG.Wait() // want `\(an echo handler\) cannot finish the request`
	return c.String(200, "ok")
}

type WatchResponse struct{}
type WatchRequest struct{}

type HealthServer struct{}

// A streaming method as protoc-gen-go-grpc 1.4 and later write it, with grpc's generic stream.
func (s *HealthServer) Watch(req *WatchRequest, stream grpc.ServerStreamingServer[WatchResponse]) error {
	defer modernWG.Wait() // want `\(a gRPC streaming method\) cannot finish the request`
	return stream.Send(&WatchResponse{})
}
