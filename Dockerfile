# ContactClient in a container: a thin wrapper around the tested static build
# (scripts/build-static.sh); the runtime image holds nothing but that one binary.
#
#   docker build -t contact-client .
#   docker run -p 8080:8080 -v contact-data:/data --env-file .env contact-client
#
# With NGINX and TLS in front: docker compose up -d (docker-compose.yml).

FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN scripts/build-static.sh \
 && install -D -m 0755 target/static/x86_64-unknown-linux-gnu/release/contact-client /out/contact-client \
 && install -d -m 0700 -o 65532 -g 65532 /out/data

FROM scratch
COPY --from=build /out/contact-client /contact-client
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
ENV ADDRESS=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    APP_ENV=production
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=5s --retries=3 CMD ["/contact-client", "healthcheck"]
ENTRYPOINT ["/contact-client"]
CMD ["serve"]
