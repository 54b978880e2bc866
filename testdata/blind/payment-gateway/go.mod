module example.com/paymentgateway

go 1.22
