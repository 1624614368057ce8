package vn.longan.hosotrinh.engine;

import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.identity.User;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The engine user's password is the one the launcher is given: the starter creates the user only
 * when it is missing, so an engine database made when the password was admin/admin would keep it.
 */
@Component
public class AdminPassword {
  private final ProcessEngine engine;
  private final String userId;
  private final String password;

  public AdminPassword(
      ProcessEngine engine,
      @Value("${operaton.bpm.admin-user.id:}") String userId,
      @Value("${operaton.bpm.admin-user.password:}") String password) {
    this.engine = engine;
    this.userId = userId;
    this.password = password;
  }

  @EventListener(ApplicationReadyEvent.class)
  public void apply() {
    if (userId.isEmpty() || password.isEmpty()) return;
    IdentityService identity = engine.getIdentityService();
    User user = identity.createUserQuery().userId(userId).singleResult();
    // Set every time rather than checked: a wrong check would count as a failed sign-in and could lock the user.
    if (user == null) return;
    user.setPassword(password);
    identity.saveUser(user);
  }
}
