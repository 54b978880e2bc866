// Package grpc is a small look-alike of google.golang.org/grpc's generic stream types.
package grpc

type ServerStreamingServer[Res any] interface {
	Send(*Res) error
}
