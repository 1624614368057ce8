# The engine for docker-compose.yml: our Operaton launcher (engine/, the one the tests run) on a JRE,
# as an unprivileged user. Build context: the repository root (see docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /engine
COPY engine/pom.xml ./
COPY engine/src ./src
RUN mvn -q -B package -DskipTests

FROM eclipse-temurin:17-jre AS runtime
# curl for the health check only.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 engine \
 && useradd --system --uid 10001 --gid engine --no-create-home --shell /usr/sbin/nologin engine
COPY --from=build /engine/target/engine.jar /opt/engine/engine.jar
COPY docker/engine-entrypoint.sh /opt/engine/entrypoint.sh
# The JVM sizes its heap from the container's memory limit (mem_limit in compose), leaving room for
# metaspace, threads and the JIT; it exits on OutOfMemoryError so the restart policy starts a fresh one.
# UTC: the engine's timestamp columns carry no zone, and the server reads them as UTC.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=25 -XX:+ExitOnOutOfMemoryError -Duser.timezone=UTC" \
    TZ=UTC \
    ENGINE_BIND=0.0.0.0 \
    ENGINE_PORT=8080 \
    ENGINE_REST_BASIC_AUTH=true
USER engine
EXPOSE 8080
# GET /engine-rest/engine is the one REST call that needs no authentication.
HEALTHCHECK --interval=10s --timeout=5s --start-period=90s --retries=6 \
  CMD ["curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:8080/engine-rest/engine"]
# exec in the script: java is PID 1 and gets the SIGTERM of `docker stop` itself.
ENTRYPOINT ["/opt/engine/entrypoint.sh"]
