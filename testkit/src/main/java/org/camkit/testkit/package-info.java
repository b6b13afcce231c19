/**
 * camkit's testkit, for the tests of a plugin bundle, camkit's own and third parties' alike.
 *
 * <ul>
 * <li>{@link org.camkit.testkit.BackendConformance}: a model backend's conformance suite, run with one subclass
 * that builds the {@link org.camkit.testkit.ReferenceNet}s in the backend's engine.</li>
 * <li>{@link org.camkit.testkit.MethodConformance}: a CAM method's conformance suite, run with one subclass that
 * returns the method.</li>
 * <li>{@link org.camkit.testkit.ReferenceNet}: small networks as plain-Java specs with weights, and their passes in
 * double precision.</li>
 * <li>{@link org.camkit.testkit.FakeProbe}: a model probe for a method's unit tests, answering what it is given.</li>
 * <li>{@link org.camkit.testkit.FakeMetricProbe}: a metric probe for a metric's unit tests: a network, target and
 * method given as functions of one image.</li>
 * <li>{@link org.camkit.testkit.Npy}: reads the {@code .npy} files of reference values Python tools write.</li>
 * </ul>
 *
 * @since 1.0
 */
package org.camkit.testkit;
