/**
 * Deploys a rendered release to nodes: {@link io.facsimile.core.deploy.DeployEngine} plans each node
 * purely ({@link io.facsimile.core.deploy.DeployPlanner}), then carries the plan out through a
 * {@link io.facsimile.core.deploy.Transport}, under the node's deploy lock.
 *
 * <p>Layout of a node's home, the same for every transport:
 *
 * <pre>
 * home/
 *   .facsimile-deploy.lock                      the deploy lock: who, process, since when
 *   .facsimile/deploy-log.jsonl                 one JSON line per deploy (ok/failed), rollback
 *   .facsimile/manifest.json                    sync only: the manifest of what was deployed
 *   releases/&lt;version&gt;-&lt;hash12&gt;/               releases only: one release
 *   releases/&lt;id&gt;/.facsimile/manifest.json      that release's manifest, written before the rename
 *   releases/&lt;id&gt;.partial/                      being staged; never live, removed by the next run
 *   current -&gt; releases/&lt;id&gt;                    the live release (a relative link)
 * </pre>
 *
 * <p>A second transport (SSH) implements {@link io.facsimile.core.deploy.Transport} and a
 * {@link io.facsimile.core.deploy.TransportFactory} that opens one per
 * {@link io.facsimile.core.deploy.Node}; staging, verification, the {@code current} switch,
 * postcmd, the deploy log, pruning, rollback, diff, verify, waves and parallelism stay in this
 * package.
 */
package io.facsimile.core.deploy;
