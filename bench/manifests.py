"""Realistic manifests for benchmarks, generated deterministically."""

from __future__ import annotations

from pathlib import Path

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{i}
  namespace: team-{team}
  labels:
    app.kubernetes.io/name: svc-{i}
    app.kubernetes.io/part-of: platform
  annotations:
    owner: team-{team}@example.com
spec:
  replicas: {replicas}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: svc-{i}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: svc-{i}
        app.kubernetes.io/part-of: platform
    spec:
      serviceAccountName: svc-{i}
      containers:
        - name: app
          image: registry.example.com/svc-{i}:1.{i}.0
          imagePullPolicy: IfNotPresent
          args: ["--port=8080", "--log-level=info"]
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
          env:
            - name: SERVICE_NAME
              value: svc-{i}
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: svc-{i}-db
                  key: password
          envFrom:
            - configMapRef:
                name: svc-{i}-config
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 512Mi
          readinessProbe:
            httpGet:
              path: /ready
              port: http
            periodSeconds: 5
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
            initialDelaySeconds: 10
          volumeMounts:
            - name: config
              mountPath: /etc/svc
              readOnly: true
            - name: tmp
              mountPath: /tmp
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
          ports:
            - name: proxy
              containerPort: 15001
          resources:
            requests:
              cpu: 50m
              memory: 64Mi
      volumes:
        - name: config
          configMap:
            name: svc-{i}-config
        - name: tmp
          emptyDir: {{}}
"""


def deployment(i: int) -> str:
    return DEPLOYMENT.format(i=i, team=i % 7, replicas=1 + i % 5)


def write_deployments(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        p = folder / f"deployment-{i:05d}.yaml"
        p.write_text(deployment(i))
        paths.append(p)
    return paths
