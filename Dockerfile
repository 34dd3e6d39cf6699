# sarifkit in a container, for CI systems that run jobs in images (GitLab,
# Jenkins): the static sarifkit binary and its sarif-VERB names on a
# distroless base (CA certificates, no shell), running as nonroot.
#
#   docker build --build-arg VERSION=v0.1.0 -t sarifkit:v0.1.0 .
#   docker run --rm -v "$PWD:/src" -w /src sarifkit:v0.1.0 diff base.sarif head.sarif
#
# --target shell builds the same on distroless's debug image, whose busybox
# shell GitLab's runner needs to run a job's script in it.
#
# The base images are named by tag, not digest: no digest could be checked
# where this file was written. Pin them where you build, with the digest
# that `docker buildx imagetools inspect golang:1.26` prints (likewise for
# the distroless images).

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
# The verbs' names are links to sarifkit, which runs the verb it is named.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
      -ldflags "-s -w -X github.com/sarifkit/sarifkit/internal/cmd/cli.version=${VERSION}" \
      -o /out/sarifkit ./cmd/sarifkit \
    && for prog in cmd/sarif-*; do ln -s sarifkit "/out/${prog#cmd/}"; done

FROM gcr.io/distroless/static-debian12:debug-nonroot AS shell
COPY --from=build /out/ /usr/local/bin/
ENTRYPOINT ["/usr/local/bin/sarifkit"]

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ /usr/local/bin/
ENTRYPOINT ["/usr/local/bin/sarifkit"]
