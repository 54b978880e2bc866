// Package grpc is a small look-alike of google.golang.org/grpc's server for the fixtures.
package grpc

import "net"

type Server struct{}

func NewServer() *Server { return &Server{} }

func (s *Server) Serve(l net.Listener) error {
	for {
		c, err := l.Accept()
		if err != nil {
			return err
		}
		_ = c.Close()
	}
}
